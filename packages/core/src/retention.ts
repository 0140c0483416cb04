// Records kept only for a while, and for how long, in one place. A daily
// sweep (the `maintenance.prune-records` job) removes what is past its time,
// in small batches so no delete holds many rows locked at once.
// - Settled webhook deliveries (delivered or failed) after 30 days: the
//   delivery log is for finding out why a receiver missed something, and each
//   row keeps its payload. Pending ones stay until they settle.
// - Slack requests after 7 days, once handled: they are kept so Slack's
//   retries (within the hour) are recognised.
// - Stripe events after 30 days: Stripe redelivers an event for up to 3 days.
import type { Db } from "@netia/db";
import { sql } from "drizzle-orm";

const DAY_MS = 86_400_000;

export const RETENTION = {
  webhookDeliveriesDays: 30,
  slackEventsDays: 7,
  stripeEventsDays: 30,
} as const;

/** Rows removed by one statement: small enough to lock little, large enough to finish. */
const BATCH = 2_000;

export type PrunedRecords = {
  webhookDeliveries: number;
  slackEvents: number;
  stripeEvents: number;
};

/** Removes every record past its retention at `now`; returns how many of each. */
export async function pruneExpiredRecords(db: Db, now = new Date()): Promise<PrunedRecords> {
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return {
    webhookDeliveries: await inBatches(
      db,
      (limit) => sql`delete from webhook_deliveries where id in (
        select id from webhook_deliveries
        where created_at < ${before(RETENTION.webhookDeliveriesDays)} and status <> 'pending'
        limit ${limit}) returning id`,
    ),
    slackEvents: await inBatches(
      db,
      (limit) => sql`delete from slack_events where id in (
        select id from slack_events
        where received_at < ${before(RETENTION.slackEventsDays)} and processed_at is not null
        limit ${limit}) returning id`,
    ),
    stripeEvents: await inBatches(
      db,
      (limit) => sql`delete from stripe_events where id in (
        select id from stripe_events where received_at < ${before(RETENTION.stripeEventsDays)}
        limit ${limit}) returning id`,
    ),
  };
}

async function inBatches(db: Db, statement: (limit: number) => ReturnType<typeof sql>) {
  let removed = 0;
  for (;;) {
    const result = (await db.execute(statement(BATCH))) as unknown as { rows: unknown[] };
    const count = result.rows.length;
    removed += count;
    if (count < BATCH) return removed;
  }
}
