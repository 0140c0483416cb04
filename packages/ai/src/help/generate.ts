// Help for agents, generated on demand and streamed: a suggested reply, a
// summary or a rewrite of the agent's draft. Nothing here is sent to the
// customer; the agent edits what it gets and decides. Each request is one
// `assistant_runs` row (outcome "drafted") so usage reports count it.
import { AppError, getAssistantSettings, helpTranscript, recordHelpRun } from "@netia/core";
import type { Db } from "@netia/db";
import { retrieveKnowledge } from "../knowledge";
import { type AiProvider, unavailableReason } from "../provider";
import {
  type ChatMessage,
  type RewriteStyle,
  rewriteMessages,
  suggestionMessages,
  summaryMessages,
} from "./prompts";

export type HelpRequest =
  | { kind: "suggestion" }
  | { kind: "summary" }
  | { kind: "rewrite"; text: string; style: RewriteStyle };

export type HelpUsage = { model: string; promptTokens: number; completionTokens: number };

/** Passages a suggestion is grounded in; a reply rarely needs more. */
const SUGGESTION_PASSAGES = 3;
/** The customer's last messages are the question the knowledge base is searched for. */
const QUESTION_MESSAGES = 3;

async function buildMessages(
  deps: { db: Db; ai: AiProvider },
  accountId: string,
  conversationId: string,
  request: HelpRequest,
) {
  const settings = await getAssistantSettings(deps.db, accountId);
  // Read first even for a rewrite: it checks the conversation is the account's.
  const { lines, customerName } = await helpTranscript(deps.db, { accountId, conversationId });
  if (request.kind === "rewrite") {
    return { settings, messages: rewriteMessages(request), sources: [] };
  }
  if (request.kind === "summary") {
    return { settings, messages: summaryMessages({ settings, lines, customerName }), sources: [] };
  }
  const question = lines
    .filter((l) => l.from === "customer")
    .slice(-QUESTION_MESSAGES)
    .map((l) => l.body)
    .join("\n");
  const passages = question
    ? await retrieveKnowledge(deps, { accountId, question, limit: SUGGESTION_PASSAGES })
    : [];
  const sources = passages.map((p) => ({ articleId: p.articleId, title: p.title, url: p.url }));
  return { settings, messages: suggestionMessages({ settings, lines, passages }), sources };
}

/** The provider's refusal as an error an agent can act on (a 429 says when to retry). */
function providerError(error: unknown): unknown {
  const status = (error as { status?: unknown })?.status;
  if (status === 429) {
    return new AppError(
      "TOO_MANY_REQUESTS",
      "The AI provider is busy right now; try again in a moment",
      30,
    );
  }
  return error;
}

/**
 * Streams the help asked for, piece by piece, then returns what it cost.
 * NOT_FOUND for a conversation of another account; stops (and still records
 * the run) when `signal` aborts.
 */
export async function* streamAgentHelp(
  deps: { db: Db; ai: AiProvider | null },
  input: { accountId: string; conversationId: string; request: HelpRequest; signal?: AbortSignal },
): AsyncGenerator<{ delta: string }, HelpUsage> {
  const { ai } = deps;
  if (!ai) throw new AppError("BAD_REQUEST", unavailableReason(ai) ?? "The AI assistant is off");
  const { settings, messages, sources } = await buildMessages(
    { db: deps.db, ai },
    input.accountId,
    input.conversationId,
    input.request,
  );
  const model = settings.model ?? ai.model;
  const usage: HelpUsage = { model, promptTokens: 0, completionTokens: 0 };
  const started = performance.now();
  const client = await ai.client();
  const stream = await client.chat.completions
    .create(
      {
        model,
        messages: messages satisfies ChatMessage[],
        temperature: settings.temperature ?? ai.temperature,
        max_tokens: ai.maxTokens,
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal: input.signal },
    )
    .catch((error: unknown) => {
      throw providerError(error);
    });
  try {
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (delta) yield { delta };
      if (chunk.usage) {
        usage.promptTokens = chunk.usage.prompt_tokens;
        usage.completionTokens = chunk.usage.completion_tokens;
      }
    }
    return usage;
  } finally {
    // Recorded even when the agent stopped it midway: the provider billed what it wrote.
    await recordHelpRun(deps.db, {
      accountId: input.accountId,
      conversationId: input.conversationId,
      kind: input.request.kind,
      ...usage,
      latencyMs: Math.round(performance.now() - started),
      sources,
    });
  }
}
