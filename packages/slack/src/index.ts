// Slack as a place to answer customers (docs/slack.md).
export * from "./connections";
export * from "./errors";
export * from "./inbound";
export * from "./install";
export * from "./install-link";
export * from "./mrkdwn";
export * from "./outbound/format";
export * from "./outbound/sync-thread";
export * from "./settings";
export * from "./support-channels";
export * from "./verify";
