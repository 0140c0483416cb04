// Stripe's webhook events (POST /api/webhooks/stripe). The signature is
// checked over the raw body; the event is stored once by its id before it is
// handled, and a redelivery of one already handled does nothing. Handling
// does not trust the event's copy of the subscription: it reads the
// customer's subscriptions from Stripe now (subscription.ts), so events that
// arrive late, twice or out of order all leave the account as Stripe has it.
// A failure answers 500 and Stripe delivers the event again.
import type { StripeSettings } from "@netia/config";
import { accountOfCustomer, billingRowOf, type Logger, setStripeCustomer } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { stripeClient } from "./client";
import { reconcileAccount } from "./subscription";

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

export type WebhookDeps = { db: Db; stripe: StripeSettings | null; logger: Logger };

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
  const [stored] = await deps.db
    .insert(stripeEvents)
    .values({ id: event.id, type: event.type })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  if (!stored) {
    const [seen] = await deps.db
      .select({ processedAt: stripeEvents.processedAt })
      .from(stripeEvents)
      .where(eq(stripeEvents.id, event.id));
    if (seen?.processedAt) {
      log.info("stripe event already handled");
      return { status: 200, body: { received: true, duplicate: true } };
    }
    // Stored by a delivery whose handling failed: this retry handles it.
  }
  if (!HANDLED_EVENTS.has(event.type)) return finish(deps, event.id, null, { ignored: true });
  try {
    const accountId = await accountOfEvent(deps.db, settings, event);
    if (!accountId) {
      log.warn("stripe event for a customer no account has; ignored");
      return finish(deps, event.id, null, { ignored: true });
    }
    const snapshot = await reconcileAccount({ db: deps.db, stripe: settings }, accountId);
    log.info(
      { accountId, plan: snapshot?.plan ?? null, status: snapshot?.status ?? null },
      "stripe event handled",
    );
    return finish(deps, event.id, accountId, {});
  } catch (error) {
    log.error({ err: error }, "stripe event failed; Stripe will deliver it again");
    return { status: 500, body: { error: "could not handle the event now" } };
  }
}

async function finish(
  deps: WebhookDeps,
  eventId: string,
  accountId: string | null,
  extra: Record<string, unknown>,
): Promise<WebhookAnswer> {
  await deps.db
    .update(stripeEvents)
    .set({ processedAt: new Date(), accountId })
    .where(eq(stripeEvents.id, eventId));
  return { status: 200, body: { received: true, ...extra } };
}

/**
 * The account an event is about: through its Stripe customer, which Netia
 * made with the account's id. A Checkout completed for an account whose
 * customer is not stored yet (Stripe made it) ties that customer to the
 * account named by the session's client_reference_id.
 */
async function accountOfEvent(
  db: Db,
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
