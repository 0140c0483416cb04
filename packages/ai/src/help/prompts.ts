// The prompts of the assistant's help for agents. A suggestion reads the
// conversation with its real roles (customer → user; agents and the assistant
// → assistant) so the model writes the next agent turn; a summary reads it as a
// transcript, notes included; a rewrite reads the agent's draft alone, so
// nothing from the conversation can slip into text the agent did not write.
import type { AssistantSettings, TranscriptLine } from "@netia/core";
import type OpenAI from "openai";
import type { KnowledgePassage } from "../knowledge";

export type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export const REWRITE_STYLES = {
  shorter: "Make it shorter: keep every fact and request, drop filler and repetition.",
  friendlier: "Make it warmer and friendlier, without becoming longer or less clear.",
  grammar: "Fix spelling, grammar and punctuation only; change nothing else.",
} as const;

export type RewriteStyle = keyof typeof REWRITE_STYLES;

/** What the business told the assistant about itself, as the system prompt states it. */
export function businessContext(settings: AssistantSettings): string {
  const parts = [
    settings.businessName ? `Business: ${settings.businessName}` : null,
    settings.description ? `About the business:\n${settings.description}` : null,
    settings.services ? `Services and products:\n${settings.services}` : null,
    settings.faqs.length > 0
      ? `Frequently asked questions:\n${settings.faqs
          .map((f) => `Q: ${f.question}\nA: ${f.answer}`)
          .join("\n\n")}`
      : null,
    settings.schedulingUrl ? `Link to book a call or appointment: ${settings.schedulingUrl}` : null,
    settings.instructions ? `Instructions from the business:\n${settings.instructions}` : null,
  ];
  return parts.filter(Boolean).join("\n\n");
}

function knowledgeSection(passages: KnowledgePassage[]): string {
  if (passages.length === 0) return "";
  return `\n\nKnowledge base passages (use them when relevant):\n${passages
    .map((p, i) => `[${i + 1}] ${p.heading}${p.url ? ` (${p.url})` : ""}\n${p.body}`)
    .join("\n\n")}`;
}

/** A suggested next reply for the agent to edit and send. */
export function suggestionMessages(input: {
  settings: AssistantSettings;
  lines: TranscriptLine[];
  passages: KnowledgePassage[];
}): ChatMessage[] {
  const system = `You draft replies for a customer support agent. Write the agent's next message to the customer: helpful, concise, in the customer's language. Use only facts from the business context, the knowledge base passages and the conversation; never invent prices, policies or links. If the answer is not known, say the agent will check and get back. Answer with the message text only.

${businessContext(input.settings)}${knowledgeSection(input.passages)}`;
  const turns: ChatMessage[] = input.lines
    .filter((l) => !l.private)
    .map((l) =>
      l.from === "customer"
        ? { role: "user" as const, content: l.body }
        : { role: "assistant" as const, content: l.body },
    );
  return [{ role: "system", content: system }, ...turns];
}

/** A short summary for a teammate taking the conversation over. */
export function summaryMessages(input: {
  settings: AssistantSettings;
  lines: TranscriptLine[];
  customerName: string | null;
}): ChatMessage[] {
  const who = (l: TranscriptLine) =>
    l.from === "customer"
      ? `Customer${input.customerName ? ` (${input.customerName})` : ""}`
      : l.from === "assistant"
        ? "Assistant"
        : l.private
          ? "Agent (private note)"
          : "Agent";
  const transcript = input.lines.map((l) => `${who(l)}: ${l.body}`).join("\n");
  return [
    {
      role: "system",
      content: `You summarize support conversations for the team of ${
        input.settings.businessName ?? "a business"
      }. In 2 to 5 short bullet points: what the customer needs, what has been done or promised, and what is still open. Plain text, no preamble.`,
    },
    { role: "user", content: `Conversation:\n${transcript}` },
  ];
}

/** The agent's draft, rewritten in one style, saying nothing the draft does not. */
export function rewriteMessages(input: { text: string; style: RewriteStyle }): ChatMessage[] {
  return [
    {
      role: "system",
      content: `You edit a support agent's draft message. ${REWRITE_STYLES[input.style]} Keep its language, meaning, names, numbers and links exactly; add no new information. Answer with the rewritten message only.`,
    },
    { role: "user", content: input.text },
  ];
}
