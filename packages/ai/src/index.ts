// @netia/ai: the provider side of the AI assistant. What the assistant means to
// Netia (settings, handoff, bot messages) lives in @netia/core; this package
// talks to the model.

export { embedTexts, hasPgvector } from "./embeddings";
export {
  type HelpRequest,
  type HelpUsage,
  REWRITE_STYLES,
  type RewriteStyle,
  streamAgentHelp,
} from "./help";
export { type KnowledgePassage, retrieveKnowledge } from "./knowledge";
export { type AiProvider, createAiProvider, unavailableReason } from "./provider";
