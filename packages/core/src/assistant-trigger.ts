// When a customer message calls for an AI reply, and the port through which it
// is asked for. The decision sits on the hottest write Netia has (a customer's
// message), so it costs nothing when the assistant is off: the account's and
// inbox's switches are cached in-process for a few seconds (and forgotten at
// once on this node when an admin flips them), and the conversation's
// `answered_by` comes back from the statement that stores the message.
import type { Db, Tx } from "@netia/db";
import { sql } from "drizzle-orm";

/** What the `ai.reply` job is given: the customer message to answer and where it is. */
export type AiReplyPayload = { accountId: string; conversationId: string; messageId: string };

/**
 * The part of the job queue a message write needs (core cannot depend on
 * @netia/jobs; the runtime's `jobs` satisfies this). Given the write's
 * transaction, the job commits with the message or not at all.
 */
export type ReplyJobs = {
  enqueue(runner: Db | Tx, name: "ai.reply", payload: AiReplyPayload): Promise<string | null>;
};

/** How long a node trusts what it read of the switches; another node's change shows after it. */
const SWITCH_TTL_MS = 5_000;
/** Entries kept before the cache starts over (each is one account and inbox). */
const MAX_ENTRIES = 10_000;

const switches = new Map<string, { on: boolean; until: number }>();

/**
 * Whether the assistant answers in this inbox: the account's switch and the
 * inbox's are both on. Read at most once per TTL per inbox and node.
 */
export async function assistantSwitchedOn(
  db: Db,
  input: { accountId: string; inboxId: string },
): Promise<boolean> {
  const key = `${input.accountId}:${input.inboxId}`;
  const cached = switches.get(key);
  if (cached && cached.until > Date.now()) return cached.on;
  const result = (await db.execute(sql`
    select coalesce((select enabled from assistant_settings where account_id = ${input.accountId}), false)
       and coalesce((select assistant_enabled from inboxes
                      where id = ${input.inboxId} and account_id = ${input.accountId}), false) as "on"`)) as unknown as {
    rows: { on: boolean }[];
  };
  const on = result.rows[0]?.on === true;
  if (switches.size >= MAX_ENTRIES) switches.clear();
  switches.set(key, { on, until: Date.now() + SWITCH_TTL_MS });
  return on;
}

/** Drops what this node cached about the account's switches (called when an admin changes them). */
export function forgetAssistantSwitches(accountId: string): void {
  for (const key of switches.keys()) {
    if (key.startsWith(`${accountId}:`)) switches.delete(key);
  }
}
