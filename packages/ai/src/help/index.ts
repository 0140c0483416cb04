// Help for agents: suggested replies, summaries and rewrites, streamed.
export { type HelpRequest, type HelpUsage, streamAgentHelp } from "./generate";
export { REWRITE_STYLES, type RewriteStyle } from "./prompts";
