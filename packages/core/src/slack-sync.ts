// What a write owes Slack: when the account has Slack connected, every change
// its Slack thread shows (a message, the status, the assignee, the priority)
// enqueues `slack.sync-thread` for the conversation in the write's own
// transaction, so nothing is committed that the thread will not catch up with.
// The job posts everything past the thread's `posted_through_seq`, in seq
// order, and refreshes the header (packages/slack/src/outbound). Whether the
// account has Slack sits on the hottest writes Netia has, so it is cached
// in-process for a few seconds, and forgotten at once on this node when the
// workspace is installed or disconnected.
import type { Db, Tx } from "@netia/db";
import { sql } from "drizzle-orm";

export const SLACK_SYNC_THREAD_JOB = "slack.sync-thread";

export type SlackSyncThreadPayload = { accountId: string; conversationId: string };

/** The part of the job queue a write needs (core does not depend on @netia/jobs). */
export type SlackThreadJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof SLACK_SYNC_THREAD_JOB,
    payload: SlackSyncThreadPayload,
  ): Promise<string | null>;
};

/** How long a node trusts what it read; an install on another node shows after it. */
const TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const connected = new Map<string, { on: boolean; until: number }>();

/** Whether the account has an active Slack connection (its threads follow its writes). */
export async function slackFollows(db: Db, accountId: string): Promise<boolean> {
  const cached = connected.get(accountId);
  if (cached && cached.until > Date.now()) return cached.on;
  const result = (await db.execute(sql`
    select exists (select 1 from slack_connections
                   where account_id = ${accountId} and status = 'active') as "on"`)) as unknown as {
    rows: { on: boolean }[];
  };
  const on = result.rows[0]?.on === true;
  if (connected.size >= MAX_ENTRIES) connected.clear();
  connected.set(accountId, { on, until: Date.now() + TTL_MS });
  return on;
}

/** Drops what this node cached about the account's Slack (install, disconnect, token refused). */
export function forgetSlackFollows(accountId: string): void {
  connected.delete(accountId);
}

/**
 * The queue to enqueue the conversation's Slack sync on, when the account has
 * Slack; null leaves the write on its one-statement path.
 */
export async function slackJobsFor(
  deps: { db: Db; jobs?: SlackThreadJobs },
  accountId: string,
): Promise<SlackThreadJobs | null> {
  if (!deps.jobs) return null;
  return (await slackFollows(deps.db, accountId)) ? deps.jobs : null;
}

/** Enqueues the conversation's Slack sync on `runner` (the write's transaction). */
export function enqueueSlackSync(
  jobs: SlackThreadJobs,
  runner: Db | Tx,
  payload: SlackSyncThreadPayload,
): Promise<string | null> {
  return jobs.enqueue(runner, SLACK_SYNC_THREAD_JOB, payload);
}
