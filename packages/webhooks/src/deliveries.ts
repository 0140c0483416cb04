// Deliveries: one row per endpoint and event, made by the fan-out job in the
// same transaction as each row's `webhooks.deliver` job. The deliver job tries
// once per run and is retried by the queue with backoff for about a day; each
// attempt's outcome (status code, the start of the answer, duration) is kept
// on the row for the delivery log. An endpoint whose attempts keep failing is
// switched off and its admins are told by email.
import {
  AppError,
  type EmailJobs,
  forgetWebhookSubscriptions,
  type Keyset,
  notFound,
  page,
  queueEmail,
  type WebhookEvent,
  webhookId,
} from "@netia/core";
import { type Db, schema, type Tx } from "@netia/db";
import { webhookDisabledEmail } from "@netia/email";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { endpointSecret, type WebhookSettings } from "./endpoints";
import { buildWebhookPayload, TEST_EVENT_TYPE, type WebhookPayload } from "./payloads";
import { type AttemptOutcome, type SendOptions, sendWebhook } from "./send";

const { webhookDeliveries, webhookEndpoints, accounts, memberships, users } = schema;

export const WEBHOOK_DELIVER_JOB = "webhooks.deliver";

export type DeliverPayload = { accountId: string; deliveryId: string };

/** The part of the job queue deliveries need (the runtime's `jobs` satisfies it). */
export type DeliverJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof WEBHOOK_DELIVER_JOB,
    payload: DeliverPayload,
  ): Promise<string | null>;
};

/** An endpoint is switched off when every attempt to it has failed for this long... */
export const DISABLE_AFTER_FAILING_MS = 24 * 3600 * 1000;
/** ...or when this many deliveries in a row failed for good (all their retries). */
export const DISABLE_AFTER_FAILED_DELIVERIES = 10;

/**
 * Makes one delivery (and its job) per enabled endpoint subscribed to the
 * event's type. Safe to run again: a delivery exists once per endpoint and
 * event, and only the rows this run made get a job.
 */
export async function fanOutWebhookEvent(
  deps: { db: Db; jobs: DeliverJobs },
  event: WebhookEvent,
): Promise<number> {
  const payload = await buildWebhookPayload(deps.db, event);
  if (!payload) return 0;
  return deps.db.transaction(async (tx) => {
    const endpoints = await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.accountId, event.accountId),
          eq(webhookEndpoints.enabled, true),
          sql`${event.type} = any(${webhookEndpoints.eventTypes})`,
        ),
      );
    if (endpoints.length === 0) return 0;
    const rows = await tx
      .insert(webhookDeliveries)
      .values(
        endpoints.map((endpoint) => ({
          accountId: event.accountId,
          endpointId: endpoint.id,
          eventId: event.id,
          eventType: event.type,
          webhookId: webhookId("msg"),
          payload,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: webhookDeliveries.id });
    for (const row of rows) {
      await deps.jobs.enqueue(tx, WEBHOOK_DELIVER_JOB, {
        accountId: event.accountId,
        deliveryId: row.id,
      });
    }
    return rows.length;
  });
}

export type DeliverDeps = {
  db: Db;
  /** For the email that tells admins an endpoint was switched off. */
  jobs: EmailJobs;
  settings: WebhookSettings & {
    /** Sender of Netia's emails, and where the dashboard is (for the email's link). */
    from: string;
    appUrl: string;
  };
  send?: Pick<SendOptions, "timeoutMs" | "signal">;
};

export type DeliverResult =
  | { outcome: "delivered" | "skipped" }
  | { outcome: "failed"; final: boolean; error: string };

/**
 * One attempt. `final`: the queue will not retry it (its last retry), so a
 * failure is for good. Returns what happened; the job throws on a failure
 * that is not final, to be retried.
 */
export async function attemptWebhookDelivery(
  deps: DeliverDeps,
  input: DeliverPayload & { final: boolean },
): Promise<DeliverResult> {
  const { db, settings } = deps;
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .where(
      and(
        eq(webhookDeliveries.id, input.deliveryId),
        eq(webhookDeliveries.accountId, input.accountId),
      ),
    );
  if (row?.delivery.status !== "pending") return { outcome: "skipped" };
  const { delivery, endpoint } = row;
  if (!endpoint.enabled) {
    await db
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "The endpoint is switched off", nextAttemptAt: null })
      .where(eq(webhookDeliveries.id, delivery.id));
    return { outcome: "skipped" };
  }
  const attempt = await sendWebhook(
    {
      url: endpoint.url,
      secret: endpointSecret(settings, endpoint.secretEncrypted),
      webhookId: delivery.webhookId,
      body: JSON.stringify(delivery.payload),
    },
    {
      ...deps.send,
      allowPrivateNetworks: settings.allowPrivateNetworks,
      resolve: settings.resolve,
    },
  );
  await recordAttempt(db, delivery.id, attempt, input.final);
  if (attempt.ok) {
    await db
      .update(webhookEndpoints)
      .set({ failureStreak: 0, failingSince: null })
      .where(
        and(
          eq(webhookEndpoints.id, endpoint.id),
          sql`failure_streak > 0 or failing_since is not null`,
        ),
      );
    return { outcome: "delivered" };
  }
  await countFailure(deps, endpoint.id, input.final, attempt);
  return { outcome: "failed", final: input.final, error: attempt.error ?? "failed" };
}

async function recordAttempt(db: Db, deliveryId: string, attempt: AttemptOutcome, final: boolean) {
  const now = new Date();
  await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: attempt.statusCode,
      lastResponseExcerpt: attempt.responseExcerpt,
      lastError: attempt.error,
      lastDurationMs: attempt.durationMs,
      lastAttemptAt: now,
      ...(attempt.ok
        ? { status: "delivered" as const, deliveredAt: now, nextAttemptAt: null }
        : final
          ? { status: "failed" as const, nextAttemptAt: null }
          : {}),
    })
    .where(eq(webhookDeliveries.id, deliveryId));
}

/**
 * Counts a failed attempt against the endpoint and switches it off when it
 * has failed for a day, or when too many deliveries in a row failed for good.
 * The switch-off happens once (the update is conditional on `enabled`), and
 * only that run emails the admins.
 */
async function countFailure(
  deps: DeliverDeps,
  endpointId: string,
  final: boolean,
  attempt: AttemptOutcome,
) {
  const failingFor = new Date(Date.now() - DISABLE_AFTER_FAILING_MS);
  const [counted] = await deps.db
    .update(webhookEndpoints)
    .set({
      failingSince: sql`coalesce(${webhookEndpoints.failingSince}, now())`,
      failureStreak: final
        ? sql`${webhookEndpoints.failureStreak} + 1`
        : sql`${webhookEndpoints.failureStreak}`,
    })
    .where(eq(webhookEndpoints.id, endpointId))
    .returning({
      failingSince: webhookEndpoints.failingSince,
      failureStreak: webhookEndpoints.failureStreak,
    });
  if (!counted) return;
  const failedForADay = counted.failingSince !== null && counted.failingSince <= failingFor;
  const tooMany = counted.failureStreak >= DISABLE_AFTER_FAILED_DELIVERIES;
  if (!failedForADay && !tooMany) return;
  const reason = failedForADay
    ? "every delivery attempt failed for 24 hours"
    : `${counted.failureStreak} deliveries in a row failed after all their retries`;
  const [disabled] = await deps.db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledAt: new Date(), disabledReason: reason })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
    .returning({ accountId: webhookEndpoints.accountId, url: webhookEndpoints.url });
  if (!disabled) return;
  forgetWebhookSubscriptions(disabled.accountId);
  await tellAdmins(deps, { ...disabled, reason, lastError: attempt.error });
}

/** Emails every admin of the account that the endpoint was switched off. */
async function tellAdmins(
  deps: DeliverDeps,
  input: { accountId: string; url: string; reason: string; lastError: string | null },
) {
  const admins = await deps.db
    .select({ userId: users.id, email: users.email, companyName: accounts.companyName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(accounts, eq(accounts.id, memberships.accountId))
    .where(and(eq(memberships.accountId, input.accountId), eq(memberships.role, "admin")));
  for (const admin of admins) {
    const rendered = await webhookDisabledEmail({
      companyName: admin.companyName,
      url: input.url,
      reason: input.reason,
      lastError: input.lastError,
      settingsUrl: new URL("/settings/webhooks", deps.settings.appUrl).toString(),
    });
    await queueEmail(
      deps.db,
      { jobs: deps.jobs, from: deps.settings.from },
      {
        accountId: input.accountId,
        kind: "webhook_disabled",
        to: admin.email,
        userId: admin.userId,
        ...rendered,
      },
    );
  }
}

export type WebhookDelivery = {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  webhookId: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastResponseExcerpt: string | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  payload: WebhookPayload;
};

/** The endpoint's deliveries, newest first, a page at a time. */
export async function listWebhookDeliveries(
  db: Db,
  input: { accountId: string; endpointId: string; cursor?: Keyset; limit: number },
): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
  const { cursor } = input;
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      eventId: webhookDeliveries.eventId,
      eventType: webhookDeliveries.eventType,
      webhookId: webhookDeliveries.webhookId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastResponseExcerpt: webhookDeliveries.lastResponseExcerpt,
      lastError: webhookDeliveries.lastError,
      lastDurationMs: webhookDeliveries.lastDurationMs,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      createdAt: webhookDeliveries.createdAt,
      payload: webhookDeliveries.payload,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.accountId, input.accountId),
        eq(webhookDeliveries.endpointId, input.endpointId),
        cursor &&
          or(
            lt(webhookDeliveries.createdAt, cursor.at),
            and(eq(webhookDeliveries.createdAt, cursor.at), lt(webhookDeliveries.id, cursor.id)),
          ),
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(input.limit + 1);
  return page(rows as WebhookDelivery[], input.limit, (row) => ({ at: row.createdAt, id: row.id }));
}

/**
 * Sends a delivery again (its payload and webhook-id unchanged, so a receiver
 * that has it can tell), whatever became of it. Refused while the endpoint is
 * switched off: switch it on first.
 */
export async function redeliverWebhook(
  deps: { db: Db; jobs: DeliverJobs },
  input: { accountId: string; deliveryId: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: webhookDeliveries.id, enabled: webhookEndpoints.enabled })
      .from(webhookDeliveries)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
      .where(
        and(
          eq(webhookDeliveries.id, input.deliveryId),
          eq(webhookDeliveries.accountId, input.accountId),
        ),
      )
      .for("update", { of: webhookDeliveries });
    if (!row) throw notFound("Webhook delivery");
    if (!row.enabled) {
      throw new AppError("BAD_REQUEST", "The endpoint is switched off: switch it on first");
    }
    await tx
      .update(webhookDeliveries)
      .set({ status: "pending", deliveredAt: null })
      .where(eq(webhookDeliveries.id, row.id));
    await deps.jobs.enqueue(tx, WEBHOOK_DELIVER_JOB, input);
  });
}

/** Sends a `webhook.test` event to one endpoint (whatever it subscribes to). */
export async function sendTestWebhook(
  deps: { db: Db; jobs: DeliverJobs },
  input: { accountId: string; endpointId: string },
): Promise<{ deliveryId: string }> {
  return deps.db.transaction(async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id, enabled: webhookEndpoints.enabled })
      .from(webhookEndpoints)
      .where(
        and(
          eq(webhookEndpoints.id, input.endpointId),
          eq(webhookEndpoints.accountId, input.accountId),
        ),
      );
    if (!endpoint) throw notFound("Webhook endpoint");
    if (!endpoint.enabled) {
      throw new AppError("BAD_REQUEST", "The endpoint is switched off: switch it on first");
    }
    const eventId = webhookId("evt");
    const payload: WebhookPayload = {
      id: eventId,
      type: TEST_EVENT_TYPE,
      timestamp: new Date().toISOString(),
      accountId: input.accountId,
      data: { message: "A test event from Netia" },
    };
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({
        accountId: input.accountId,
        endpointId: endpoint.id,
        eventId,
        eventType: TEST_EVENT_TYPE,
        webhookId: webhookId("msg"),
        payload,
      })
      .returning({ id: webhookDeliveries.id });
    if (!delivery) throw new Error("webhook delivery insert returned nothing");
    await deps.jobs.enqueue(tx, WEBHOOK_DELIVER_JOB, {
      accountId: input.accountId,
      deliveryId: delivery.id,
    });
    return { deliveryId: delivery.id };
  });
}
