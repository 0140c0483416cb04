// The reports page's numbers, each from one SQL statement over the account's
// rows created in a range of its own days. Days, weekdays and hours are the
// account's (accounts.time_zone): a conversation at 23:30 in Tokyo counts on
// Tokyo's date. Every statement bounds `created_at` for one account, so it reads
// `conversations_created_idx` or `messages_created_idx` (account_id, created_at)
// and nothing of other accounts. The same SQL runs on Postgres and PGlite.
//
// Conversations are counted as a cohort: those created in the range, with what
// became of them (assigned, answered, closed) as of now. Messages are counted
// when they were written.
import { type Db, schema } from "@netia/db";
import { eq, type SQL, sql } from "drizzle-orm";
import { addDays, daysBetween } from "./assistant-reports";
import { AppError } from "./errors";

/** The longest range one report may cover, in days. */
export const MAX_REPORT_DAYS = 366;

/** What a report covers: the account's days from `from` (included) to `to` (excluded). */
export type ReportRange = { accountId: string; from: string; to: string };

type WorkingHours = { day: number; startMinute: number; endMinute: number }[];

/** A range checked and resolved against its account: the time zone and hours to bucket by. */
export type ReportScope = ReportRange & { timeZone: string; workingHours: WorkingHours };

/**
 * Checks the range (dates YYYY-MM-DD, `from` before `to`, at most
 * MAX_REPORT_DAYS days) and reads the account's time zone and working hours.
 */
export async function reportScope(db: Db, range: ReportRange): Promise<ReportScope> {
  if (range.from >= range.to) throw new AppError("BAD_REQUEST", "from: must be before to");
  if (daysBetween(range.from, range.to) - 1 > MAX_REPORT_DAYS) {
    throw new AppError("BAD_REQUEST", `A report covers at most ${MAX_REPORT_DAYS} days`);
  }
  const [account] = await db
    .select({ timeZone: schema.accounts.timeZone, workingHours: schema.accounts.workingHours })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, range.accountId))
    .limit(1);
  if (!account) throw new AppError("NOT_FOUND", "account not found");
  return { ...range, timeZone: account.timeZone, workingHours: account.workingHours };
}

async function rows(db: Db, query: SQL): Promise<Record<string, unknown>[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: Record<string, unknown>[] }).rows;
}

/**
 * `<alias>.created_at` within the scope's days. The bounds are the local
 * midnights as instants, so the index on (account_id, created_at) serves it.
 */
function createdIn(scope: ReportScope, alias: string): SQL {
  const column = sql.raw(`${alias}.created_at`);
  return sql`${sql.raw(alias)}.account_id = ${scope.accountId}
    and ${column} >= (${scope.from}::date)::timestamp at time zone ${scope.timeZone}
    and ${column} < (${scope.to}::date)::timestamp at time zone ${scope.timeZone}`;
}

/** `local` (a timestamp in the account's zone) within its working hours; no hours set means always. */
function withinHours(hours: WorkingHours, local: SQL): SQL {
  if (hours.length === 0) return sql`true`;
  const minute = sql`(extract(hour from ${local}) * 60 + extract(minute from ${local}))`;
  const spans = hours.map(
    (h) =>
      sql`(extract(dow from ${local}) = ${Math.trunc(h.day)}::int and ${minute} >= ${Math.trunc(h.startMinute)}::int and ${minute} < ${Math.trunc(h.endMinute)}::int)`,
  );
  return sql`(${sql.join(spans, sql` or `)})`;
}

/** Every day of the range, oldest first, with `fill` for days without rows. */
function everyDay<T extends { day: string }>(
  scope: ReportScope,
  found: T[],
  fill: (day: string) => T,
): T[] {
  const byDay = new Map(found.map((r) => [r.day, r]));
  const out: T[] = [];
  for (let day = scope.from; day < scope.to; day = addDays(day, 1)) {
    out.push(byDay.get(day) ?? fill(day));
  }
  return out;
}

// Group by position: the local-day expression written twice would bind the
// time zone twice, and Postgres would not see the two as one expression.
const localDay = (scope: ReportScope, alias: string) =>
  sql`to_char(${sql.raw(alias)}.created_at at time zone ${scope.timeZone}, 'YYYY-MM-DD')`;

export type ConversationsDay = { day: string; conversations: number };

/** Conversations created per day of the range. */
export async function conversationsPerDay(db: Db, scope: ReportScope): Promise<ConversationsDay[]> {
  const found = await rows(
    db,
    sql`select ${localDay(scope, "c")} as day, count(*)::int as conversations
        from conversations c
        where ${createdIn(scope, "c")}
        group by 1`,
  );
  return everyDay(
    scope,
    found.map((r) => ({ day: String(r.day), conversations: Number(r.conversations) })),
    (day) => ({ day, conversations: 0 }),
  );
}

export type MessagesDay = { day: string; sent: number; received: number };

/** The public messages agents and the bot sent, and customers' messages, per day. */
export async function messagesPerDay(db: Db, scope: ReportScope): Promise<MessagesDay[]> {
  const found = await rows(
    db,
    sql`select ${localDay(scope, "m")} as day,
               (count(*) filter (where m.sender_type in ('user', 'bot') and not m.private))::int as sent,
               (count(*) filter (where m.sender_type = 'customer'))::int as received
        from messages m
        where ${createdIn(scope, "m")}
        group by 1`,
  );
  return everyDay(
    scope,
    found.map((r) => ({ day: String(r.day), sent: Number(r.sent), received: Number(r.received) })),
    (day) => ({ day, sent: 0, received: 0 }),
  );
}

/** One cell of the week: weekday 0 = Sunday, hour 0–23, local. */
export type HeatmapCell = { weekday: number; hour: number; conversations: number };

/** Conversations created per local weekday and hour; only cells with conversations. */
export async function conversationsByWeekdayHour(
  db: Db,
  scope: ReportScope,
): Promise<HeatmapCell[]> {
  const found = await rows(
    db,
    sql`select extract(dow from c.local)::int as weekday, extract(hour from c.local)::int as hour,
               count(*)::int as conversations
        from (
          select c.created_at at time zone ${scope.timeZone} as local
          from conversations c
          where ${createdIn(scope, "c")}
        ) c
        group by 1, 2
        order by 1, 2`,
  );
  return found.map((r) => ({
    weekday: Number(r.weekday),
    hour: Number(r.hour),
    conversations: Number(r.conversations),
  }));
}

export type AgentRow = {
  userId: string;
  name: string;
  /** Conversations of the range assigned to the agent now. */
  assigned: number;
  /** Of those, the ones closed now. */
  closed: number;
  /** Public replies the agent wrote in the range. */
  replies: number;
  /** Median seconds from creation to first reply, over the assigned ones answered; null if none. */
  medianFirstResponseSeconds: number | null;
};

/**
 * Per agent: every member of the account, plus anyone else with conversations
 * or replies in the range (a former member), busiest first.
 */
export async function agentsReport(db: Db, scope: ReportScope): Promise<AgentRow[]> {
  const found = await rows(
    db,
    sql`with assigned as (
          select c.assignee_id as user_id, count(*)::int as assigned,
                 (count(*) filter (where c.status = 'closed'))::int as closed,
                 percentile_cont(0.5) within group (
                   order by extract(epoch from c.first_replied_at - c.created_at)
                 ) filter (where c.first_replied_at is not null) as median_first_response
          from conversations c
          where ${createdIn(scope, "c")} and c.assignee_id is not null
          group by c.assignee_id
        ), replies as (
          select m.user_id, count(*)::int as replies
          from messages m
          where ${createdIn(scope, "m")}
            and m.sender_type = 'user' and not m.private and m.user_id is not null
          group by m.user_id
        ), people as (
          select user_id from assigned
          union select user_id from replies
          union select user_id from memberships where account_id = ${scope.accountId}
        )
        select p.user_id, u.name, coalesce(a.assigned, 0) as assigned,
               coalesce(a.closed, 0) as closed, coalesce(r.replies, 0) as replies,
               a.median_first_response
        from people p
        join users u on u.id = p.user_id
        left join assigned a on a.user_id = p.user_id
        left join replies r on r.user_id = p.user_id
        order by coalesce(r.replies, 0) desc, coalesce(a.assigned, 0) desc, u.name, p.user_id`,
  );
  return found.map((r) => ({
    userId: String(r.user_id),
    name: String(r.name),
    assigned: Number(r.assigned),
    closed: Number(r.closed),
    replies: Number(r.replies),
    medianFirstResponseSeconds: seconds(r.median_first_response),
  }));
}

export type InboxRow = { inboxId: string; name: string; conversations: number; messages: number };

/** Per inbox of the account: conversations created and public messages written in the range. */
export async function inboxesReport(db: Db, scope: ReportScope): Promise<InboxRow[]> {
  const found = await rows(
    db,
    sql`with conversation_counts as (
          select c.inbox_id, count(*)::int as conversations
          from conversations c
          where ${createdIn(scope, "c")}
          group by c.inbox_id
        ), message_counts as (
          select c.inbox_id, count(*)::int as messages
          from messages m
          join conversations c on c.id = m.conversation_id and c.account_id = m.account_id
          where ${createdIn(scope, "m")} and not m.private
          group by c.inbox_id
        )
        select i.id, i.name, coalesce(cc.conversations, 0) as conversations,
               coalesce(mc.messages, 0) as messages
        from inboxes i
        left join conversation_counts cc on cc.inbox_id = i.id
        left join message_counts mc on mc.inbox_id = i.id
        where i.account_id = ${scope.accountId}
        order by coalesce(cc.conversations, 0) desc, i.name, i.id`,
  );
  return found.map((r) => ({
    inboxId: String(r.id),
    name: String(r.name),
    conversations: Number(r.conversations),
    messages: Number(r.messages),
  }));
}

/** A duration's distribution in seconds; median and p90 are null without samples. */
export type Durations = { count: number; median: number | null; p90: number | null };

export type DurationSplit = { all: Durations; withinHours: Durations; outsideHours: Durations };

export type ResponseTimes = {
  /** Created → first agent or bot reply (`first_replied_at`), for the answered ones. */
  firstResponse: DurationSplit;
  /** Created → closed (`closed_at`), for the closed ones. */
  resolution: DurationSplit;
};

function seconds(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/**
 * First-response and resolution times of the conversations created in the
 * range: median and p90 (interpolated, `percentile_cont`), overall and split by
 * whether the conversation began within the account's working hours.
 */
export async function responseTimes(db: Db, scope: ReportScope): Promise<ResponseTimes> {
  const aggregates = (name: string, duration: string) => {
    const value = sql.raw(duration);
    const parts: Record<string, SQL> = {
      all: sql`${value} is not null`,
      within: sql`${value} is not null and c.within`,
      outside: sql`${value} is not null and not c.within`,
    };
    return sql.join(
      Object.entries(parts).map(
        ([part, where]) => sql`
          count(*) filter (where ${where}) as ${sql.raw(`${name}_${part}_count`)},
          percentile_cont(0.5) within group (order by ${value}) filter (where ${where}) as ${sql.raw(`${name}_${part}_median`)},
          percentile_cont(0.9) within group (order by ${value}) filter (where ${where}) as ${sql.raw(`${name}_${part}_p90`)}`,
      ),
      sql`,`,
    );
  };
  const [row = {}] = await rows(
    db,
    sql`select ${aggregates("first", "c.first_response")}, ${aggregates("resolution", "c.resolution")}
        from (
          select extract(epoch from c.first_replied_at - c.created_at) as first_response,
                 extract(epoch from c.closed_at - c.created_at) as resolution,
                 ${withinHours(scope.workingHours, sql`c.local`)} as within
          from (
            select c.first_replied_at, c.closed_at, c.created_at,
                   c.created_at at time zone ${scope.timeZone} as local
            from conversations c
            where ${createdIn(scope, "c")}
          ) c
        ) c`,
  );
  const durations = (name: string, part: string): Durations => ({
    count: Number(row[`${name}_${part}_count`] ?? 0),
    median: seconds(row[`${name}_${part}_median`]),
    p90: seconds(row[`${name}_${part}_p90`]),
  });
  const split = (name: string): DurationSplit => ({
    all: durations(name, "all"),
    withinHours: durations(name, "within"),
    outsideHours: durations(name, "outside"),
  });
  return { firstResponse: split("first"), resolution: split("resolution") };
}
