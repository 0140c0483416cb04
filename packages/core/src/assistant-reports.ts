// What the AI assistant did and what it cost, read from `assistant_runs` (one
// row per generation) for the dashboard's AI page and, later, billing's quota.
// Days are the account's days: a run at 23:30 in Tokyo counts on Tokyo's date.
import { type Db, schema } from "@netia/db";
import { and, eq, gte, sql } from "drizzle-orm";
import { AppError } from "./errors";
import { HANDOFF_REASONS, type HandoffReason } from "./handoff";
import { encodeCursor, type Keyset } from "./pagination";

const { accounts, assistantRuns } = schema;

/** The longest range one usage request may cover, in days. */
export const MAX_USAGE_DAYS = 366;
/** The range shown when none is asked for: the last 30 days, today included. */
export const DEFAULT_USAGE_DAYS = 30;

export type UsageCounts = {
  /** Customer messages the assistant answered. */
  replies: number;
  promptTokens: number;
  completionTokens: number;
  answered: number;
  handedOff: number;
  fallback: number;
  skipped: number;
  /** Suggestions, summaries and rewrites produced for agents. */
  drafted: number;
};

export type UsageDay = UsageCounts & { day: string };

export type AssistantUsage = {
  timeZone: string;
  from: string;
  to: string;
  /** Every day of the range, oldest first, days without runs as zeros. */
  days: UsageDay[];
  total: UsageCounts;
  /** From the first of the current month (the account's) to now. */
  thisMonth: UsageCounts & { since: string };
};

const ZERO: UsageCounts = {
  replies: 0,
  promptTokens: 0,
  completionTokens: 0,
  answered: 0,
  handedOff: 0,
  fallback: 0,
  skipped: 0,
  drafted: 0,
};

/** Today's date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now = new Date()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(now);
}

/** `day` moved by `days` (calendar arithmetic on the date alone). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
  );
}

async function accountTimeZone(db: Db, accountId: string): Promise<string> {
  const [row] = await db
    .select({ timeZone: accounts.timeZone })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .limit(1);
  return row?.timeZone ?? "UTC";
}

/** The sums a usage report shows, for a select over `assistant_runs`. */
function countsSelect() {
  const count = (condition: ReturnType<typeof sql>) =>
    sql<number>`(count(*) filter (where ${condition}))::int`;
  return {
    replies: count(sql`${assistantRuns.kind} = 'reply' and ${assistantRuns.outcome} = 'answered'`),
    promptTokens: sql<number>`coalesce(sum(${assistantRuns.promptTokens}), 0)::int`,
    completionTokens: sql<number>`coalesce(sum(${assistantRuns.completionTokens}), 0)::int`,
    answered: count(sql`${assistantRuns.kind} = 'reply' and ${assistantRuns.outcome} = 'answered'`),
    handedOff: count(
      sql`${assistantRuns.kind} = 'reply' and ${assistantRuns.outcome} = 'handed_off'`,
    ),
    fallback: count(sql`${assistantRuns.kind} = 'reply' and ${assistantRuns.outcome} = 'fallback'`),
    skipped: count(sql`${assistantRuns.kind} = 'reply' and ${assistantRuns.outcome} = 'skipped'`),
    drafted: count(sql`${assistantRuns.outcome} = 'drafted'`),
  };
}

/** Runs of the account from the start of day `from` to the end of day `to`, in `timeZone`. */
function inDays(accountId: string, timeZone: string, from: string, to: string) {
  return and(
    eq(assistantRuns.accountId, accountId),
    sql`${assistantRuns.createdAt} >= (${from}::date)::timestamp at time zone ${timeZone}`,
    sql`${assistantRuns.createdAt} < (${to}::date + 1)::timestamp at time zone ${timeZone}`,
  );
}

function numbers(row: Partial<UsageCounts> | undefined): UsageCounts {
  const out = { ...ZERO };
  for (const key of Object.keys(ZERO) as (keyof UsageCounts)[]) out[key] = Number(row?.[key] ?? 0);
  return out;
}

function add(a: UsageCounts, b: UsageCounts): UsageCounts {
  const out = { ...a };
  for (const key of Object.keys(ZERO) as (keyof UsageCounts)[]) out[key] += b[key];
  return out;
}

/**
 * Usage and outcomes per day of the account's time zone, from `from` to `to`
 * (default: the last 30 days). Dates are YYYY-MM-DD; the caller checks the range.
 */
export async function getAssistantUsage(
  db: Db,
  input: { accountId: string; from?: string; to?: string; now?: Date },
): Promise<AssistantUsage> {
  const timeZone = await accountTimeZone(db, input.accountId);
  const today = todayIn(timeZone, input.now);
  const to = input.to ?? today;
  const from = input.from ?? addDays(to, -(DEFAULT_USAGE_DAYS - 1));
  if (from > to) throw new AppError("BAD_REQUEST", "from: must not be after to");
  if (daysBetween(from, to) > MAX_USAGE_DAYS) {
    throw new AppError("BAD_REQUEST", `A usage report covers at most ${MAX_USAGE_DAYS} days`);
  }
  const day = sql<string>`to_char(${assistantRuns.createdAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;

  const rows = await db
    .select({ day, ...countsSelect() })
    .from(assistantRuns)
    .where(inDays(input.accountId, timeZone, from, to))
    // By position: the day expression repeated would bind the time zone twice,
    // and Postgres would not see the two as the same expression.
    .groupBy(sql`1`);
  const byDay = new Map(rows.map((r) => [r.day, numbers(r)]));

  const days: UsageDay[] = [];
  let total = { ...ZERO };
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const counts = byDay.get(d) ?? { ...ZERO };
    days.push({ day: d, ...counts });
    total = add(total, counts);
  }

  const since = `${today.slice(0, 8)}01`;
  const [month] = await db
    .select(countsSelect())
    .from(assistantRuns)
    .where(inDays(input.accountId, timeZone, since, today));

  return { timeZone, from, to, days, total, thisMonth: { since, ...numbers(month) } };
}

/**
 * Customer messages the assistant answered since `since`: what billing's AI
 * quota counts (a fallback, a handoff or an agent's draft is not a reply).
 */
export async function countAssistantReplies(
  db: Db,
  accountId: string,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(assistantRuns)
    .where(
      and(
        eq(assistantRuns.accountId, accountId),
        eq(assistantRuns.kind, "reply"),
        eq(assistantRuns.outcome, "answered"),
        gte(assistantRuns.createdAt, since),
      ),
    );
  return Number(row?.count ?? 0);
}

export type AssistantConversation = {
  conversationId: string;
  customerName: string | null;
  customerEmail: string | null;
  status: "open" | "closed" | "snoozed";
  answeredBy: "assistant" | "people";
  /** Customer messages the assistant answered in it. */
  replies: number;
  lastReplyAt: Date | null;
  handoffReason: string | null;
  /** HANDOFF_REASONS' text for the reason (the reason itself if unknown). */
  handoffLabel: string | null;
  handedOffAt: Date | null;
  /** When it last mattered here: the handoff, else the assistant's last run. */
  at: Date;
};

export type AssistantConversationFilter = "all" | "handed_off";

export function handoffLabel(reason: string | null): string | null {
  if (!reason) return null;
  return HANDOFF_REASONS[reason as HandoffReason] ?? reason;
}

/**
 * Conversations the assistant took part in (it ran a reply there, or the
 * customer or a rule handed it to people), newest first, keyset-paginated.
 * An agent replying to a conversation the assistant never touched is not a
 * handoff worth listing, so those are left out.
 */
export async function listAssistantConversations(
  db: Db,
  input: {
    accountId: string;
    filter: AssistantConversationFilter;
    cursor?: Keyset;
    limit: number;
  },
): Promise<{ items: AssistantConversation[]; nextCursor: string | null }> {
  const handedOff = input.filter === "handed_off" ? sql`and c.handed_off_at is not null` : sql``;
  const after = input.cursor
    ? sql`and (x.at, x.conversation_id) < (${input.cursor.at.toISOString()}::timestamptz, ${input.cursor.id}::uuid)`
    : sql``;
  const result = await db.execute(sql`
    select * from (
      select c.id as conversation_id, c.status, c.answered_by, c.handoff_reason, c.handed_off_at,
             cu.name as customer_name, cu.email as customer_email,
             coalesce(r.replies, 0)::int as replies, r.last_run_at,
             coalesce(c.handed_off_at, r.last_run_at) as at
      from conversations c
      join customers cu on cu.id = c.customer_id and cu.account_id = c.account_id
      left join lateral (
        select count(*) filter (where outcome = 'answered') as replies, max(created_at) as last_run_at
        from assistant_runs
        where account_id = c.account_id and conversation_id = c.id and kind = 'reply'
      ) r on true
      where c.account_id = ${input.accountId}
        and (r.last_run_at is not null
             or (c.handed_off_at is not null and c.handoff_reason is distinct from 'agent_reply'))
        ${handedOff}
    ) x
    where true ${after}
    order by x.at desc, x.conversation_id desc
    limit ${input.limit + 1}`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  const items: AssistantConversation[] = rows.map((r) => ({
    conversationId: String(r.conversation_id),
    customerName: (r.customer_name as string | null) ?? null,
    customerEmail: (r.customer_email as string | null) ?? null,
    status: r.status as AssistantConversation["status"],
    answeredBy: r.answered_by as AssistantConversation["answeredBy"],
    replies: Number(r.replies),
    lastReplyAt: date(r.last_run_at),
    handoffReason: (r.handoff_reason as string | null) ?? null,
    handoffLabel: handoffLabel((r.handoff_reason as string | null) ?? null),
    handedOffAt: date(r.handed_off_at),
    at: date(r.at) as Date,
  }));
  const page = items.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor:
      items.length > input.limit && last
        ? encodeCursor({ at: last.at, id: last.conversationId })
        : null,
  };
}
