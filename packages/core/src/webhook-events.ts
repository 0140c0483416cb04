// What a write does for outbound webhooks (docs/webhooks.md): when the account
// has an enabled endpoint subscribed to the event's type, the write's own
// transaction enqueues ONE `webhooks.fan-out` job, so the event is sent after
// commit and never without its write. The fan-out job (packages/webhooks)
// makes one delivery per endpoint. Whether an account subscribes to a type is
// cached in-process for a few seconds, so the message path costs nothing more
// for accounts without webhooks (another node sees a new endpoint after the
// cache's TTL; this node at once).
import { randomBytes } from "node:crypto";
import type { Db, Tx } from "@netia/db";
import { sql } from "drizzle-orm";

/** Every event type an endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "message.created",
  "conversation.created",
  "conversation.updated",
  "conversation.assigned",
  "customer.created",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_FAN_OUT_JOB = "webhooks.fan-out";

/** What a write tells the fan-out job: what happened, to what, when. The payload is built from it. */
export type WebhookEvent = {
  /** `evt_...`: one per event; each endpoint's delivery of it has its own `msg_...` id. */
  id: string;
  type: WebhookEventType;
  accountId: string;
  /** ISO time of the write. */
  occurredAt: string;
  conversationId?: string;
  messageId?: string;
  customerId?: string;
};

/** The part of the job queue a write's webhooks need (structural: core does not import the jobs package). */
export type WebhookJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof WEBHOOK_FAN_OUT_JOB,
    payload: WebhookEvent,
  ): Promise<string | null>;
};

/** A random id with Stripe-like prefix (`evt_`, `msg_`), URL-safe. */
export function webhookId(prefix: "evt" | "msg"): string {
  return `${prefix}_${randomBytes(16).toString("base64url")}`;
}

/** How long a node trusts what it read of an account's subscriptions. */
const SUBSCRIPTIONS_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const subscriptions = new Map<string, { types: Set<string>; until: number }>();

/** The event types some enabled endpoint of the account subscribes to (read at most once per TTL). */
export async function subscribedWebhookTypes(db: Db | Tx, accountId: string): Promise<Set<string>> {
  const cached = subscriptions.get(accountId);
  if (cached && cached.until > Date.now()) return cached.types;
  const result = (await db.execute(sql`
    select distinct unnest(event_types) as type from webhook_endpoints
    where account_id = ${accountId} and enabled`)) as unknown as { rows: { type: string }[] };
  const types = new Set(result.rows.map((row) => row.type));
  if (subscriptions.size >= MAX_ENTRIES) subscriptions.clear();
  subscriptions.set(accountId, { types, until: Date.now() + SUBSCRIPTIONS_TTL_MS });
  return types;
}

/** Drops this node's cached subscriptions of the account (called when its endpoints change). */
export function forgetWebhookSubscriptions(accountId: string): void {
  subscriptions.delete(accountId);
}

/**
 * The queue to enqueue `types` on when the account subscribes to any of them;
 * null (nothing to enqueue, no transaction needed) otherwise.
 */
export async function webhookJobsFor(
  deps: { db: Db; jobs?: WebhookJobs },
  accountId: string,
  types: WebhookEventType[],
): Promise<WebhookJobs | null> {
  if (!deps.jobs) return null;
  const subscribed = await subscribedWebhookTypes(deps.db, accountId);
  return types.some((type) => subscribed.has(type)) ? deps.jobs : null;
}

/**
 * Enqueues the fan-out of each event the account subscribes to, on `runner`
 * (the write's transaction: the job commits with the write or not at all).
 */
export async function enqueueWebhookEvents(
  jobs: WebhookJobs | null | undefined,
  runner: Db | Tx,
  events: Omit<WebhookEvent, "id" | "occurredAt">[],
): Promise<void> {
  const first = events[0];
  if (!jobs || !first) return;
  // Read on the runner: an embedded database is one connection, busy with the transaction.
  const subscribed = await subscribedWebhookTypes(runner, first.accountId);
  const occurredAt = new Date().toISOString();
  for (const event of events) {
    if (!subscribed.has(event.type)) continue;
    await jobs.enqueue(runner, WEBHOOK_FAN_OUT_JOB, {
      ...event,
      id: webhookId("evt"),
      occurredAt,
    });
  }
}
