export * from "./deliveries";
export * from "./endpoints";
export * from "./payloads";
export * from "./send";
export * from "./ssrf";
