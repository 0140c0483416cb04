// Bulk data for the inbox benchmark: accounts go through the real sign-up,
// everything else is set-based SQL (insert ... select from generate_series).

import { type Client, signUpAccount } from "@netia/api/testing";
import type { Runtime } from "@netia/runtime";
import pg from "pg";

export type SeedOptions = {
  accounts: number;
  customersPerAccount: number;
  conversationsPerAccount: number;
  messagesPerConversation: number;
};

export type SeededAccount = {
  accountId: string;
  inboxId: string;
  userId: string;
  tagId: string;
  admin: Client;
  /** The admin's login, for signing in from a browser. */
  email: string;
  password: string;
};

export type SeedResult = {
  accounts: SeededAccount[];
  counts: Record<string, number>;
  /** Milliseconds per step, in order. */
  steps: { step: string; ms: number }[];
  totalMs: number;
};

/** Shares of the generated conversations (each decided independently per row). */
export const mix = {
  open: 0.6,
  closed: 0.3,
  snoozed: 0.1,
  highPriority: 0.1,
  assignedToAdmin: 0.4,
  tagged: 0.1,
  unread: 0.2,
  /** Of the agent messages, the share written as private notes. */
  notes: 0.1,
  activityDays: 90,
};

export async function seed(
  runtime: Runtime,
  url: string,
  options: SeedOptions,
  log: (line: string) => void,
): Promise<SeedResult> {
  const steps: SeedResult["steps"] = [];
  const started = performance.now();
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    const ms = performance.now() - t0;
    steps.push({ step: name, ms });
    log(`  ${name.padEnd(34)} ${(ms / 1000).toFixed(1).padStart(6)} s`);
    return result;
  };

  const accounts = await step(`sign up ${options.accounts} accounts (+1 tag each)`, async () => {
    const out: SeededAccount[] = [];
    for (let i = 0; i < options.accounts; i++) {
      const { admin, user, account, inbox, email, password } = await signUpAccount(
        runtime,
        `Bench Co ${i + 1}`,
      );
      const tag = await admin.tags.create({ name: "vip", color: "#d97706" });
      out.push({
        accountId: account.id,
        inboxId: inbox.id,
        userId: user.id,
        tagId: tag.id,
        admin,
        email,
        password,
      });
    }
    return out;
  });

  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    await sql.query("set synchronous_commit = off");
    await sql.query("set work_mem = '256MB'");
    await sql.query("set maintenance_work_mem = '256MB'");
    await sql.query("select setseed(0.42)");
    await sql.query(
      "create temp table bench_accounts (idx int primary key, account_id uuid, inbox_id uuid, user_id text, tag_id uuid)",
    );
    for (const [idx, a] of accounts.entries()) {
      await sql.query("insert into bench_accounts values ($1, $2, $3, $4, $5)", [
        idx + 1,
        a.accountId,
        a.inboxId,
        a.userId,
        a.tagId,
      ]);
    }

    await step("customers", async () => {
      await sql.query(
        `create temp table bench_customers as
         select a.idx, a.account_id, g as n, gen_random_uuid() as id,
                now() - random() * interval '180 days' as created_at
         from bench_accounts a cross join generate_series(1, $1::int) g`,
        [options.customersPerAccount],
      );
      await sql.query(`create index on bench_customers (idx, n)`);
      await sql.query(
        `insert into customers (id, account_id, visitor_id, name, email, created_at, updated_at, last_seen_at)
         select id, account_id, 'bench-visitor-' || n, 'Customer ' || n,
                'customer-' || n || '@company-' || idx || '.example.com', created_at, created_at, created_at
         from bench_customers`,
      );
    });

    await step("conversations", async () => {
      // Volatile random() in the inner select list keeps one draw per row.
      await sql.query(
        `create temp table bench_conversations as
         select x.idx, x.n, gen_random_uuid() as id, x.account_id, x.inbox_id, c.id as customer_id,
                case when x.s < $3 then 'open' when x.s < $4 then 'closed' else 'snoozed' end::conversation_status as status,
                case when x.p < $5 then 'high' else 'normal' end::conversation_priority as priority,
                case when x.asg < $6 then x.user_id end as assignee_id,
                x.user_id as admin_id, x.tag_id, x.t < $7 as tagged, x.rd >= $8 as read,
                x.last_activity_at, x.last_activity_at - x.age as created_at
         from (
           select a.idx, a.account_id, a.inbox_id, a.user_id, a.tag_id, g as n,
                  random() as s, random() as p, random() as asg, random() as t, random() as rd,
                  now() - random() * make_interval(days => $9::int) as last_activity_at,
                  random() * interval '7 days' + interval '1 minute' as age
           from bench_accounts a cross join generate_series(1, $1::int) g
         ) x
         join bench_customers c on c.idx = x.idx and c.n = 1 + (x.n - 1) % $2::int`,
        [
          options.conversationsPerAccount,
          options.customersPerAccount,
          mix.open,
          mix.open + mix.closed,
          mix.highPriority,
          mix.assignedToAdmin,
          mix.tagged,
          mix.unread,
          mix.activityDays,
        ],
      );
      await sql.query(
        `insert into conversations (id, account_id, inbox_id, customer_id, assignee_id, status, priority,
                                    channel, read, first_replied_at, closed_at, snoozed_until,
                                    last_activity_at, created_at, updated_at)
         select id, account_id, inbox_id, customer_id, assignee_id, status, priority,
                'chat', read, created_at + (last_activity_at - created_at) / 9,
                case when status = 'closed' then last_activity_at end,
                case when status = 'snoozed' then now() + interval '1 day' + random() * interval '6 days' end,
                last_activity_at, created_at, last_activity_at
         from bench_conversations`,
      );
      await sql.query(
        `insert into conversation_tags (account_id, conversation_id, tag_id, created_at)
         select account_id, id, tag_id, created_at from bench_conversations where tagged`,
      );
    });

    await step("messages", async () => {
      // Rows go in in time order, as a live system writes them: seq (an identity
      // column, not inserted here) follows created_at, and a conversation's
      // messages are spread over the table rather than stored together.
      await sql.query(
        `insert into messages (account_id, conversation_id, type, sender_type, user_id, customer_id,
                               body, private, created_at)
         select account_id, conversation_id, type, sender_type, user_id, customer_id, body,
                type = 'note', created_at
         from (
           select c.account_id, c.id as conversation_id,
                  case when k % 2 = 1 and random() < $2 then 'note' else 'reply' end::message_type as type,
                  case when k % 2 = 0 then 'customer' else 'user' end::sender_type as sender_type,
                  case when k % 2 = 1 then c.admin_id end as user_id,
                  case when k % 2 = 0 then c.customer_id end as customer_id,
                  case when k % 2 = 0 then 'Hi, question ' || k / 2 + 1 || ' about order #' || c.n || ': '
                       else 'Thanks for reaching out! ' end
                    || repeat(md5(c.id::text || k), 1 + k % 3) as body,
                  c.created_at + (c.last_activity_at - c.created_at) * (k::float8 / greatest($1::int - 1, 1)) as created_at
           from bench_conversations c cross join generate_series(0, $1::int - 1) k
         ) m
         order by created_at`,
        [options.messagesPerConversation, mix.notes],
      );
    });

    await step("vacuum analyze", async () => {
      await sql.query("vacuum (analyze)");
    });

    const counts: Record<string, number> = {};
    for (const table of [
      "accounts",
      "customers",
      "conversations",
      "messages",
      "conversation_tags",
    ] as const) {
      const { rows } = await sql.query<{ n: string }>(`select count(*) as n from ${table}`);
      counts[table] = Number(rows[0]?.n ?? 0);
    }
    return { accounts, counts, steps, totalMs: performance.now() - started };
  } finally {
    await sql.end().catch(() => {});
  }
}
