// The assistant's answer to a customer: the whole of one `ai.reply` job.
//
// 1. Re-check that the conversation is still the assistant's and find the
//    customer messages it has not answered (a burst gets one answer; its key
//    is the newest of them).
// 2. Skip when that message already has a reply run (a retry after the reply
//    was stored never calls the provider again).
// 3. Apply the admin's rules and the customer's own request for a person.
// 4. Generate, streaming typing and deltas to the widget and the dashboard;
//    a newer customer message aborts the generation (the queued job answers
//    everything).
// 5. Store the reply once (the bot message's idempotency key) with its run.
// Provider failures are retried by the job; on the last attempt the customer
// gets one polite fallback and the team a handoff note.
import { randomUUID } from "node:crypto";
import {
  type AiReplyPayload,
  type AssistantRunInput,
  type AssistantSettings,
  type BillingConfig,
  createBotMessage,
  findReplyRun,
  getAssistantSettings,
  type HandoffReason,
  handOff,
  type Logger,
  publish,
  recordAssistantRun,
  TYPING_TTL_MS,
  type WriteDeps,
  withinLimit,
  withinWorkingHours,
} from "@netia/core";
import { channels } from "@netia/realtime";
import { retrieveKnowledge } from "../knowledge";
import type { AiProvider } from "../provider";
import { extractCitations } from "./citations";
import {
  countAssistantReplies,
  loadReplyContext,
  newestCustomerMessageId,
  type ReplyContext,
  replyKey,
  unansweredMessages,
} from "./context";
import { asksForPerson } from "./human-request";
import { buildReplyMessages, HANDOFF_TOOL, REPLY_TOOLS, revealsInstructions } from "./prompt";
import { classifyProviderError } from "./provider-errors";
import { streamCompletion } from "./stream";

/** `config`: billing settings; past the plan's monthly AI replies the team answers instead. */
export type ReplyDeps = WriteDeps & { ai: AiProvider; logger: Logger; config: BillingConfig };

/** The job attempt this runs in. */
export type ReplyAttempt = { retryCount: number; retryLimit: number; signal: AbortSignal };

export type ReplyOutcome = "answered" | "handed_off" | "fallback" | "skipped";

/** Passages given to the model. */
const PASSAGE_LIMIT = 4;
/** Deltas after the first are gathered this long, so a fast stream is not one event per token. */
const DELTA_COALESCE_MS = 10;

export const FALLBACK_MESSAGE =
  "Sorry, I can't answer right now — I've let the team know and someone will reply here.";
export const HANDOFF_MESSAGE = "I've passed this to the team — a person will reply here soon.";
export const OUTSIDE_HOURS_ASK_EMAIL =
  "The team is away right now. Leave your email address and they'll get back to you as soon as they're in.";
export const OUTSIDE_HOURS_HAVE_EMAIL =
  "The team is away right now; they'll reply here as soon as they're in, and you'll get an email too.";

/** Thrown for a generation abandoned because the customer wrote again. */
class NewerMessage extends Error {}

export async function answerCustomerMessage(
  deps: ReplyDeps,
  payload: AiReplyPayload,
  attempt: ReplyAttempt,
): Promise<ReplyOutcome> {
  const { accountId, conversationId } = payload;
  const ids = { accountId, conversationId };
  const log = deps.logger.child({ conversationId });
  const skip = async (detail: string): Promise<ReplyOutcome> => {
    // A skipped run claims no message: the job that answers it must still be able to.
    await recordAssistantRun(deps.db, { ...ids, kind: "reply", outcome: "skipped", detail });
    log.info({ detail }, `assistant skipped conversation:${conversationId}`);
    return "skipped";
  };

  // Everything before the provider's request is on the reply's latency path
  // (docs/assistant.md): reads that do not depend on each other go together.
  const [context, settings] = await Promise.all([
    loadReplyContext(deps.db, ids),
    getAssistantSettings(deps.db, accountId),
  ]);
  if (!context) return "skipped"; // the conversation is gone
  if (context.answeredBy !== "assistant") {
    return skip(`message ${payload.messageId}: the conversation is answered by people`);
  }
  if (!settings.enabled || !context.inboxAssistantEnabled) {
    return skip(`message ${payload.messageId}: the assistant is off`);
  }
  const unanswered = unansweredMessages(context.history);
  const trigger = unanswered.at(-1);
  if (!trigger) return skip(`message ${payload.messageId}: already answered`);
  const question = unanswered.map((m) => m.body).join("\n");
  // The search for passages starts now, beside the checks below; it is only
  // used when they let the assistant answer.
  const passagesFound = retrieveKnowledge(
    { db: deps.db, ai: deps.ai },
    { accountId, question, limit: PASSAGE_LIMIT },
  );
  passagesFound.catch(() => {}); // awaited (and its failure handled) only if used
  if (await findReplyRun(deps.db, { accountId, triggerMessageId: trigger.id })) {
    return skip(`message ${trigger.id}: a run already answered it`);
  }
  const run = { ...ids, kind: "reply" as const, triggerMessageId: trigger.id };

  const handOffWith = async (
    reason: HandoffReason,
    notice: string,
    summary?: string,
  ): Promise<ReplyOutcome> => {
    await createBotMessage(deps, {
      ...ids,
      body: notice,
      idempotencyKey: `handoff-notice:${trigger.id}`,
      metadata: { kind: "handoff", reason },
    });
    await handOff(deps, {
      ...ids,
      reason,
      summary: summary ?? `The customer wrote: “${clip(question)}”`,
    });
    await recordAssistantRun(deps.db, { ...run, outcome: "handed_off", detail: reason });
    log.info({ reason }, `assistant handed off conversation:${conversationId}`);
    return "handed_off";
  };

  const rule = await ruleThatHandsOff(deps, { ...ids, settings, context, question });
  if (rule) {
    const notice =
      rule !== "outside_hours"
        ? HANDOFF_MESSAGE
        : context.customerEmail
          ? OUTSIDE_HOURS_HAVE_EMAIL
          : OUTSIDE_HOURS_ASK_EMAIL;
    return handOffWith(rule, notice);
  }

  const streamId = randomUUID();
  const generation = new AbortController();
  const signal = AbortSignal.any([attempt.signal, generation.signal]);
  const started = Date.now();
  let deltas = 0;
  const discard = () => {
    if (deltas > 0) publish(deps, { type: "assistant.discarded", ...ids, streamId });
  };
  // A newer customer message ends this generation: the job queued for it answers both.
  const unsubscribe = await deps.bus.subscribe(
    channels.conversation(accountId, conversationId),
    (event) => {
      const message =
        event.type === "message.created"
          ? (event.message as { senderType?: string; seq?: number })
          : null;
      if (message?.senderType === "customer" && (message.seq ?? 0) > trigger.seq) {
        generation.abort(new NewerMessage());
      }
    },
  );
  const typing = startTyping(deps, { ...ids, botName: settings.botName });
  const stream = deltaPublisher(deps, { ...ids, streamId }, () => deltas++);
  try {
    const passages = await passagesFound;
    const client = await deps.ai.client();
    const completion = await streamCompletion(
      client,
      {
        model: settings.model ?? deps.ai.model,
        temperature: settings.temperature ?? deps.ai.temperature,
        maxTokens: deps.ai.maxTokens,
        messages: buildReplyMessages({ settings, passages, history: context.history }),
        tools: REPLY_TOOLS,
      },
      { signal, onDelta: stream.push },
    );
    stream.flush();
    const latencyMs = Date.now() - started;
    const usage = {
      model: completion.model,
      promptTokens: completion.promptTokens,
      completionTokens: completion.completionTokens,
      latencyMs,
    };
    if ((await newestCustomerMessageId(deps.db, ids)) !== trigger.id) throw new NewerMessage();

    const handoffCall = completion.toolCalls.find((call) => call.name === HANDOFF_TOOL);
    if (handoffCall) {
      discard();
      return handOffWith("tool", HANDOFF_MESSAGE, summaryOf(handoffCall.arguments));
    }
    if (revealsInstructions(completion.text) || completion.text.trim() === "") {
      discard();
      log.warn(`assistant reply withheld by the output filter conversation:${conversationId}`);
      return handOffWith("guardrail", HANDOFF_MESSAGE);
    }
    const { text, sources } = extractCitations(completion.text, passages);
    const current = await loadReplyContext(deps.db, ids);
    if (current?.answeredBy !== "assistant") {
      discard();
      return skip(`message ${trigger.id}: people took over while the assistant was writing`);
    }
    const { message } = await createBotMessage(deps, {
      ...ids,
      body: text,
      idempotencyKey: replyKey(trigger.id),
      metadata: { streamId, ...usage, sources },
    });
    const answered: AssistantRunInput = {
      ...run,
      outcome: "answered",
      replyMessageId: message.id,
      ...usage,
      sources,
    };
    await recordAssistantRun(deps.db, answered);
    log.info(
      { latencyMs, sources: sources.length },
      `assistant answered conversation:${conversationId}`,
    );
    return "answered";
  } catch (err) {
    discard();
    if (err instanceof NewerMessage || generation.signal.reason instanceof NewerMessage) {
      return skip(`message ${trigger.id}: the customer wrote again; the next reply answers both`);
    }
    // The node is stopping: the job goes back to the queue as it is.
    if (attempt.signal.aborted) throw err;
    const failure = classifyProviderError(err);
    if (failure.retry && attempt.retryCount < attempt.retryLimit) {
      log.warn(
        { err, retryCount: attempt.retryCount },
        `assistant attempt failed conversation:${conversationId}`,
      );
      throw err;
    }
    log.error({ err }, `assistant gave up conversation:${conversationId}`);
    return fallBack(deps, { ...run, detail: failure.summary });
  } finally {
    stream.stop();
    typing.stop();
    unsubscribe();
  }
}

/** The admin rule or customer request that hands this message to people, if any. */
async function ruleThatHandsOff(
  deps: ReplyDeps,
  input: {
    accountId: string;
    conversationId: string;
    settings: AssistantSettings;
    context: ReplyContext;
    question: string;
  },
): Promise<HandoffReason | null> {
  const rules = input.settings.handoffRules;
  const text = input.question.toLowerCase();
  if (rules.keywords.some((keyword) => text.includes(keyword.toLowerCase()))) return "keyword";
  if (asksForPerson(input.question)) return "request";
  if (rules.outsideHoursCollectEmail && !withinWorkingHours(input.context.account)) {
    return "outside_hours";
  }
  if (rules.afterBotReplies !== null) {
    const replies = await countAssistantReplies(deps.db, input);
    if (replies >= rules.afterBotReplies) return "bot_replies";
  }
  // The plan's AI replies for the month are used: people answer, the widget goes on as ever.
  if (!(await withinLimit(deps.db, deps.config, input.accountId, "aiReplies"))) return "ai_quota";
  return null;
}

/** The one fallback a message gets when the provider keeps failing, and the team's alert. */
async function fallBack(
  deps: ReplyDeps,
  run: {
    accountId: string;
    conversationId: string;
    kind: "reply";
    triggerMessageId: string;
    detail: string;
  },
): Promise<ReplyOutcome> {
  const ids = { accountId: run.accountId, conversationId: run.conversationId };
  const { message } = await createBotMessage(deps, {
    ...ids,
    body: FALLBACK_MESSAGE,
    idempotencyKey: `ai-fallback:${run.triggerMessageId}`,
    metadata: { kind: "fallback" },
  });
  await handOff(deps, {
    ...ids,
    reason: "fallback",
    summary: `The provider failed: ${run.detail}.`,
  });
  await recordAssistantRun(deps.db, { ...run, outcome: "fallback", replyMessageId: message.id });
  return "fallback";
}

/** Shows the bot as typing until stopped, refreshed before each indicator would expire. */
function startTyping(
  deps: ReplyDeps,
  input: { accountId: string; conversationId: string; botName: string },
): { stop(): void } {
  const send = () =>
    publish(deps, {
      type: "typing",
      accountId: input.accountId,
      conversationId: input.conversationId,
      sender: { type: "bot", id: "assistant", name: input.botName },
      private: false,
      expiresAt: new Date(Date.now() + TYPING_TTL_MS).toISOString(),
    });
  send();
  const timer = setInterval(send, TYPING_TTL_MS / 2);
  return { stop: () => clearInterval(timer) };
}

/**
 * Publishes the reply's text as it comes: the first piece at once (the
 * widget's first token is what the customer waits for), later ones gathered
 * for a few milliseconds.
 */
function deltaPublisher(
  deps: ReplyDeps,
  target: { accountId: string; conversationId: string; streamId: string },
  onPublished: () => void,
) {
  let index = 0;
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    publish(deps, { type: "assistant.delta", ...target, index: index++, delta: pending });
    pending = "";
    onPublished();
  };
  return {
    push(text: string) {
      pending += text;
      if (index === 0) flush();
      else timer ??= setTimeout(flush, DELTA_COALESCE_MS);
    },
    flush,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** The summary argument of a hand_off_to_human call (the model's JSON may be broken). */
function summaryOf(args: string): string | undefined {
  try {
    const parsed = JSON.parse(args) as { summary?: unknown };
    return typeof parsed.summary === "string" && parsed.summary.trim()
      ? clip(parsed.summary.trim(), 1000)
      : undefined;
  } catch {
    return undefined;
  }
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
