// The reports page: one procedure per chart or table, each one statement over a
// range of the account's days, so the page draws each as soon as it arrives.
// Open to every agent of the account, as in Papercups (Chatwoot keeps reports
// to administrators): they are aggregates of conversations every agent can
// already read, and agents see how the team is doing.
import {
  agentsReport,
  conversationsByWeekdayHour,
  conversationsPerDay,
  inboxesReport,
  MAX_REPORT_DAYS,
  messagesPerDay,
  type ReportScope,
  reportScope,
  responseTimes,
} from "@netia/core";
import type { Db } from "@netia/db";
import { z } from "zod";
import { ZText } from "../schemas";
import { agentProcedure, router } from "../trpc";

/** A calendar day, YYYY-MM-DD, that exists (no 2026-02-30), from 1970 on. */
const ZDay = ZText.regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-01-31").refine((day) => {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day) && day >= "1970";
}, "must be a real date from 1970 on");

const DAY_MS = 86_400_000;

/** The account's days from `from` (included) to `to` (excluded). */
export const ZReportRange = z
  .object({ from: ZDay, to: ZDay })
  .refine((r) => r.from < r.to, { message: "must be before to", path: ["from"] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= MAX_REPORT_DAYS * DAY_MS, {
    message: `a report covers at most ${MAX_REPORT_DAYS} days`,
    path: ["to"],
  });

const seconds = z.number().nullable();
const ZDurations = z.object({ count: z.number(), median: seconds, p90: seconds });
const ZDurationSplit = z.object({
  all: ZDurations,
  withinHours: ZDurations,
  outsideHours: ZDurations,
});

/** The range checked and resolved for the agent's account. */
async function scopeOf(
  ctx: { db: Db; agent: { accountId: string } },
  range: z.infer<typeof ZReportRange>,
): Promise<ReportScope> {
  return reportScope(ctx.db, { accountId: ctx.agent.accountId, ...range });
}

const report = agentProcedure.input(ZReportRange);

export const reportsRouter = router({
  /** Conversations created per day, every day of the range. */
  conversationsPerDay: report
    .output(z.array(z.object({ day: z.string(), conversations: z.number() })))
    .query(async ({ ctx, input }) => conversationsPerDay(ctx.db, await scopeOf(ctx, input))),
  /** Public agent and bot messages (sent) and customer messages (received) per day. */
  messagesPerDay: report
    .output(z.array(z.object({ day: z.string(), sent: z.number(), received: z.number() })))
    .query(async ({ ctx, input }) => messagesPerDay(ctx.db, await scopeOf(ctx, input))),
  /** Conversations created per local weekday (0 = Sunday) and hour; empty cells left out. */
  heatmap: report
    .output(z.array(z.object({ weekday: z.number(), hour: z.number(), conversations: z.number() })))
    .query(async ({ ctx, input }) => conversationsByWeekdayHour(ctx.db, await scopeOf(ctx, input))),
  /** Per agent: conversations assigned and closed, replies, median first response. */
  agents: report
    .output(
      z.array(
        z.object({
          userId: z.string(),
          name: z.string(),
          assigned: z.number(),
          closed: z.number(),
          replies: z.number(),
          medianFirstResponseSeconds: seconds,
        }),
      ),
    )
    .query(async ({ ctx, input }) => agentsReport(ctx.db, await scopeOf(ctx, input))),
  /** Per inbox: conversations created and public messages written. */
  inboxes: report
    .output(
      z.array(
        z.object({
          inboxId: z.string(),
          name: z.string(),
          conversations: z.number(),
          messages: z.number(),
        }),
      ),
    )
    .query(async ({ ctx, input }) => inboxesReport(ctx.db, await scopeOf(ctx, input))),
  /** First-response and resolution times in seconds: median and p90, within and outside hours. */
  responseTimes: report
    .output(z.object({ firstResponse: ZDurationSplit, resolution: ZDurationSplit }))
    .query(async ({ ctx, input }) => responseTimes(ctx.db, await scopeOf(ctx, input))),
});
