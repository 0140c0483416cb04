// Slack as a place to answer customers (docs/slack.md).
export {};
