export * from "./client";
export * from "./migrate";
export type { ApiKeyScope } from "./schema/api-keys";
export type { Faq, HandoffRules } from "./schema/assistant";
export * as schema from "./schema/index";
export * from "./statements";
