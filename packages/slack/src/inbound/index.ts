// Everything Slack sends to Netia (docs/slack-inbound.md).
export { REOPEN_ACTION, RESOLVE_ACTION } from "./actions";
export { handleSlackEvent } from "./handle-event";
export * from "./receive";
