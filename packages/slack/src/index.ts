// Slack as a place to answer customers (docs/slack.md).
export * from "./connections";
export * from "./inbound";
export * from "./install";
export * from "./mrkdwn";
export * from "./support-channels";
export * from "./verify";
