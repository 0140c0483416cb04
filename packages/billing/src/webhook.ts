// Stripe's webhook events (POST /api/webhooks/stripe). The signature is
// checked over the raw body; the event is stored once by its id, in the same
// transaction as the billing.reconcile job it enqueues, and a redelivery of
// one already stored does nothing. The job does not trust the event's copy of
// the subscription: it reads the customer's subscriptions from Stripe then
// (subscription.ts), so events that arrive late, twice or out of order all
// leave the account as Stripe has it. A failure before the commit answers 500
// and Stripe delivers the event again; after it, the job retries.
import type { StripeSettings } from "@netia/config";
import { accountOfCustomer, billingRowOf, type Logger, setStripeCustomer } from "@netia/core";
import { type Db, schema, type Tx } from "@netia/db";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { stripeClient } from "./client";

const { stripeEvents, accounts } = schema;

/** The events that can change an account's plan or status. */
export const HANDLED_EVENTS = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
]);

export const RECONCILE_JOB = "billing.reconcile";

/** The queue the reconcile job goes through (packages/jobs' billing.reconcile). */
export type ReconcileJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof RECONCILE_JOB,
    payload: { accountId: string },
  ): Promise<string | null>;
};

export type WebhookDeps = {
  db: Db;
  stripe: StripeSettings | null;
  logger: Logger;
  jobs: ReconcileJobs;
};

export type WebhookAnswer = { status: number; body: Record<string, unknown> };

export async function receiveStripeWebhook(
  deps: WebhookDeps,
  request: { rawBody: string; signature: string | null },
): Promise<WebhookAnswer> {
  const settings = deps.stripe;
  if (!settings) return { status: 404, body: { error: "billing is not enabled on this server" } };
  let event: Stripe.Event;
  try {
    event = stripeClient(settings).webhooks.constructEvent(
      request.rawBody,
      request.signature ?? "",
      settings.webhookSecret,
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      deps.logger.warn({ err: error.message }, "stripe webhook with a bad signature refused");
      return { status: 400, body: { error: "bad signature" } };
    }
    throw error;
  }
  const log = deps.logger.child({ stripeEvent: event.id, type: event.type });
  try {
    // The event, the account it concerns and the job that reconciles it
    // commit together: a failure stores none of them and Stripe delivers again.
    const outcome = await deps.db.transaction(async (tx) => {
      const [stored] = await tx
        .insert(stripeEvents)
        .values({ id: event.id, type: event.type })
        .onConflictDoNothing()
        .returning({ id: stripeEvents.id });
      if (!stored) return "duplicate" as const;
      if (!HANDLED_EVENTS.has(event.type)) return "ignored" as const;
      const accountId = await accountOfEvent(tx, settings, event);
      if (!accountId) return "unknown" as const;
      await tx.update(stripeEvents).set({ accountId }).where(eq(stripeEvents.id, event.id));
      await deps.jobs.enqueue(tx, RECONCILE_JOB, { accountId });
      return "queued" as const;
    });
    if (outcome === "duplicate") {
      log.info("stripe event already received");
      return { status: 200, body: { received: true, duplicate: true } };
    }
    if (outcome === "unknown") log.warn("stripe event for a customer no account has; ignored");
    return {
      status: 200,
      body: outcome === "queued" ? { received: true } : { received: true, ignored: true },
    };
  } catch (error) {
    log.error({ err: error }, "stripe event not stored; Stripe will deliver it again");
    return { status: 500, body: { error: "could not take the event now" } };
  }
}

/**
 * The account an event is about: through its Stripe customer, which Netia
 * made with the account's id. A Checkout completed for an account whose
 * customer is not stored yet (Stripe made it) ties that customer to the
 * account named by the session's client_reference_id.
 */
async function accountOfEvent(
  db: Db | Tx,
  settings: StripeSettings,
  event: Stripe.Event,
): Promise<string | null> {
  const object = event.data.object as { customer?: string | { id: string } | null };
  const customer = typeof object.customer === "string" ? object.customer : object.customer?.id;
  if (!customer) return null;
  const known = await accountOfCustomer(db, customer);
  if (known) return known;
  const named =
    event.type === "checkout.session.completed"
      ? (event.data.object as Stripe.Checkout.Session).client_reference_id
      : null;
  const accountId = named ?? (await accountOfCustomerMetadata(settings, customer));
  if (!accountId || !/^[0-9a-f-]{36}$/i.test(accountId)) return null;
  const [account] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) return null;
  const row = await billingRowOf(db, settings, accountId);
  if (row.stripeCustomerId && row.stripeCustomerId !== customer) return null;
  await setStripeCustomer(db, accountId, customer);
  return accountId;
}

/** The account id Netia wrote on the customer, read from Stripe. */
async function accountOfCustomerMetadata(
  settings: StripeSettings,
  customerId: string,
): Promise<string | null> {
  const customer = await stripeClient(settings).customers.retrieve(customerId);
  if (customer.deleted) return null;
  return customer.metadata?.accountId ?? null;
}
