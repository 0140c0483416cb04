// Everything Slack sends to Netia (docs/slack-inbound.md).
export { handleSlackEvent } from "./handle-event";
export * from "./receive";
