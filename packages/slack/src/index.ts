// Slack as a place to answer customers (docs/slack.md).
export * from "./connections";
export * from "./install";
