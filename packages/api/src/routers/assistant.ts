// The AI assistant as admins set it up: whether it can run on this server, the
// business context it answers from, and the switches (account and per inbox);
// what it did and cost (usage, the conversations it handled and handed off);
// and its help for agents (suggested replies, summaries, rewrites), streamed.
import { REWRITE_STYLES, streamAgentHelp, unavailableReason } from "@netia/ai";
import {
  getAssistantSettings,
  getAssistantUsage,
  listAssistantConversations,
  listInboxAssistants,
  setInboxAssistant,
  updateAssistantSettings,
  ZAssistantSettings,
  ZAssistantSettingsUpdate,
} from "@netia/core";
import { z } from "zod";
import { isoDate, nullableIsoDate, ZBody, ZCursor, ZId, ZLimit, ZText } from "../schemas";
import { adminProcedure, agentProcedure, asTRPCError, router } from "../trpc";

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30) in the years Netia stores. */
const ZDay = ZText.regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-01-31").refine((day) => {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day) && day >= "1970";
}, "must be a real date from 1970 on");

export const ZAssistantUsageInput = z
  .object({ from: ZDay.optional(), to: ZDay.optional() })
  .default({});

const ZUsageCounts = z.object({
  replies: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  answered: z.number(),
  handedOff: z.number(),
  fallback: z.number(),
  skipped: z.number(),
  drafted: z.number(),
});

export const ZAssistantUsageOutput = z.object({
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.array(ZUsageCounts.extend({ day: z.string() })),
  total: ZUsageCounts,
  thisMonth: ZUsageCounts.extend({ since: z.string() }),
});

export const ZAssistantConversationsInput = z
  .object({
    filter: z.enum(["all", "handed_off"]).default("all"),
    cursor: ZCursor.optional(),
    limit: ZLimit,
  })
  .default({ filter: "all", limit: 25 });

export const ZAssistantConversationsOutput = z.object({
  items: z.array(
    z.object({
      conversationId: z.string(),
      customerName: z.string().nullable(),
      customerEmail: z.string().nullable(),
      status: z.enum(["open", "closed", "snoozed"]),
      answeredBy: z.enum(["assistant", "people"]),
      replies: z.number(),
      lastReplyAt: nullableIsoDate,
      handoffReason: z.string().nullable(),
      handoffLabel: z.string().nullable(),
      handedOffAt: nullableIsoDate,
      at: isoDate,
    }),
  ),
  nextCursor: z.string().nullable(),
});

const ZStyle = z.enum(Object.keys(REWRITE_STYLES) as [keyof typeof REWRITE_STYLES]);

export const ZAssistantHelpInput = z.discriminatedUnion("kind", [
  z.object({ conversationId: ZId, kind: z.literal("suggestion") }),
  z.object({ conversationId: ZId, kind: z.literal("summary") }),
  z.object({
    conversationId: ZId,
    kind: z.literal("rewrite"),
    /** The agent's draft: the only text a rewrite reads. */
    text: ZBody,
    style: ZStyle,
  }),
]);

export const assistantRouter = router({
  /** Whether the server can run the assistant at all, and why not. */
  status: agentProcedure
    .output(z.object({ available: z.boolean(), reason: z.string().nullable(), model: z.string() }))
    .query(({ ctx }) => ({
      available: ctx.rt.ai !== null,
      reason: unavailableReason(ctx.rt.ai),
      model: ctx.rt.config.llm.model,
    })),

  getSettings: agentProcedure
    .output(ZAssistantSettings)
    .query(({ ctx }) => getAssistantSettings(ctx.db, ctx.agent.accountId)),

  updateSettings: adminProcedure
    .input(ZAssistantSettingsUpdate)
    .output(ZAssistantSettings)
    .mutation(({ ctx, input }) => updateAssistantSettings(ctx.db, ctx.agent.accountId, input)),

  /** The account's inboxes with their assistant switch. */
  listInboxes: agentProcedure
    .output(
      z.array(z.object({ inboxId: z.string(), name: z.string(), assistantEnabled: z.boolean() })),
    )
    .query(({ ctx }) => listInboxAssistants(ctx.db, ctx.agent.accountId)),

  /** Turns the assistant on or off in one inbox (it also needs the account's switch). */
  setInboxEnabled: adminProcedure
    .input(z.object({ inboxId: ZId, enabled: z.boolean() }))
    .output(z.object({ inboxId: z.string(), assistantEnabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      setInboxAssistant(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Replies, tokens and outcomes per day (the account's days); the last 30 days by default. */
  usage: agentProcedure
    .input(ZAssistantUsageInput)
    .output(ZAssistantUsageOutput)
    .query(({ ctx, input }) =>
      getAssistantUsage(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Conversations the assistant handled or handed to people, newest first. */
  handoffs: agentProcedure
    .input(ZAssistantConversationsInput)
    .output(ZAssistantConversationsOutput)
    .query(({ ctx, input }) =>
      listAssistantConversations(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  /**
   * Help for the agent, streamed: `{ delta }` pieces, then `{ done, usage }`.
   * Never sent to the customer; limited per agent (each call costs tokens).
   */
  help: agentProcedure.input(ZAssistantHelpInput).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const { conversationId, ...request } = input;
    const stream = streamAgentHelp(
      { db: ctx.db, ai: ctx.rt.ai },
      { accountId: ctx.agent.accountId, conversationId, request, signal },
    );
    try {
      await ctx.rt.limits.consume("assistantHelpPerAgent", ctx.agent.userId);
      for (let step = await stream.next(); ; step = await stream.next()) {
        if (step.done) {
          yield { done: true as const, usage: step.value };
          return;
        }
        yield { delta: step.value.delta };
      }
    } catch (error) {
      throw asTRPCError(error);
    } finally {
      // The agent stopped listening: end the provider's stream too.
      await stream.return(undefined as never);
    }
  }),
});
