export * from "./accounts";
export * from "./assistant";
export * from "./attachments";
export * from "./auth";
export * from "./conversations";
export * from "./customers";
export * from "./inboxes";
export * from "./tags";
