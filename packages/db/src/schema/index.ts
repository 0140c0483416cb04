export * from "./accounts";
export * from "./attachments";
export * from "./auth";
export * from "./conversations";
export * from "./customers";
export * from "./inboxes";
export * from "./tags";
