// Search and the reports, timed through the tRPC caller like the list cases,
// with EXPLAIN (ANALYZE, BUFFERS) of the slowest statement each call sends.
import type { Client } from "@netia/api/testing";
import pg from "pg";
import {
  type CapturedQuery,
  captureQueries,
  type Explained,
  explain,
  type Stats,
  time,
} from "./measure";

export const TARGETS_MS = { search: 100, report: 200 } as const;

export type TimedCase = {
  name: string;
  kind: "search" | "report";
  input: Record<string, unknown>;
  stats: Stats;
  statementsPerCall: number;
  /** The statement of the call that took longest under EXPLAIN ANALYZE. */
  slowest: (Explained & { sql: string; params: unknown[] }) | null;
};

/**
 * Companies for one account, so company search has something to find: `count`
 * companies named "<word> <n>" (five words in turn), each given ten customers.
 */
export async function seedCompanies(url: string, accountId: string, count: number): Promise<void> {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    await sql.query(
      `insert into companies (account_id, name, website)
       select $1::uuid, (array['Logistics','Foods','Labs','Systems','Retail'])[1 + n % 5] || ' ' || n,
              'company-' || n || '.example.com'
       from generate_series(1, $2::int) n`,
      [accountId, count],
    );
    await sql.query(
      `update customers c set company_id = co.id
       from (select id, row_number() over (order by name) as k from companies where account_id = $1::uuid) co
       where c.account_id = $1::uuid and c.visitor_id ~ '^bench-visitor-[0-9]+$'
         and (substring(c.visitor_id from 15)::int - 1) / 10 + 1 = co.k`,
      [accountId],
    );
    await sql.query("analyze companies; analyze customers");
  } finally {
    await sql.end().catch(() => {});
  }
}

/** Words to search for, taken from the seeded rows of the account. */
export async function searchTerms(url: string, accountId: string) {
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    // The hex run in a customer message's body is one word; 8 of its characters find a few messages.
    const { rows } = await sql.query<{ word: string }>(
      `select substring(body from ': ([0-9a-f]{8})') as word from messages
       where account_id = $1::uuid and sender_type = 'customer' order by seq desc limit 1`,
      [accountId],
    );
    return { rareWord: rows[0]?.word ?? "deadbeef" };
  } finally {
    await sql.end().catch(() => {});
  }
}

function isRead(q: CapturedQuery): boolean {
  return /^\s*(select|with)\b/i.test(q.text);
}

async function slowestStatement(url: string, queries: CapturedQuery[]) {
  let slowest: TimedCase["slowest"] = null;
  for (const q of queries.filter(isRead)) {
    const explained = await explain(url, q, 3);
    if (!slowest || explained.executionMs > slowest.executionMs) {
      slowest = { ...explained, sql: q.text, params: q.values };
    }
  }
  return slowest;
}

/** Times `call`, then explains each statement it sent and keeps the slowest. */
export async function timeCase(
  url: string,
  c: { name: string; kind: TimedCase["kind"]; input: Record<string, unknown> },
  call: () => Promise<unknown>,
  opts: { warmup: number; iterations: number },
): Promise<TimedCase> {
  const { queries } = await captureQueries(call);
  const stats = await time(call, opts);
  return {
    ...c,
    stats,
    statementsPerCall: queries.length,
    slowest: await slowestStatement(url, queries),
  };
}

/** YYYY-MM-DD of `date` in UTC (the seeded accounts keep the default time zone). */
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** The search and report cases for `admin`'s account. */
export function cases(admin: Client, words: { rareWord: string }, now = new Date()) {
  const to = utcDay(new Date(now.getTime() + 86_400_000));
  const from = utcDay(new Date(now.getTime() - 89 * 86_400_000));
  const range = { from, to };
  const search = (label: string, q: string) => ({
    name: `search.query "${q}" (${label})`,
    kind: "search" as const,
    input: { q },
    call: () => admin.search.query({ q }),
  });
  const report = (name: keyof Client["reports"], call: () => Promise<unknown>) => ({
    name: `reports.${name} (90 days)`,
    kind: "report" as const,
    input: range,
    call,
  });
  return [
    search("a word in every customer message", "order"),
    search("a rare word of one message", words.rareWord),
    search("a customer's name", "Customer 4242"),
    search("a company's name", "Labs 47"),
    report("conversationsPerDay", () => admin.reports.conversationsPerDay(range)),
    report("messagesPerDay", () => admin.reports.messagesPerDay(range)),
    report("heatmap", () => admin.reports.heatmap(range)),
    report("agents", () => admin.reports.agents(range)),
    report("inboxes", () => admin.reports.inboxes(range)),
    report("responseTimes", () => admin.reports.responseTimes(range)),
  ];
}
