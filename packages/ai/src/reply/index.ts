// The assistant's reply to customers, loaded by the ai.reply job's handler
// only (it loads the OpenAI SDK; processes that never answer do not).
export {
  answerCustomerMessage,
  FALLBACK_MESSAGE,
  HANDOFF_MESSAGE,
  OUTSIDE_HOURS_ASK_EMAIL,
  OUTSIDE_HOURS_HAVE_EMAIL,
  type ReplyAttempt,
  type ReplyDeps,
  type ReplyOutcome,
} from "./answer";
export { extractCitations } from "./citations";
export { replyKey } from "./context";
export { asksForPerson } from "./human-request";
export { buildReplyMessages, buildSystemPrompt, GUARDRAILS, revealsInstructions } from "./prompt";
export { classifyProviderError } from "./provider-errors";
