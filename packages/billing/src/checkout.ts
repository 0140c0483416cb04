// What an admin starts from the billing page: Stripe Checkout to subscribe to
// a paid plan, the customer portal to change card, see invoices or cancel,
// and the next invoice to show. Each account has one Stripe customer, made
// before its first Checkout with the account's id in its metadata, so every
// event Stripe sends about that customer finds its account.
import type { StripeSettings } from "@netia/config";
import {
  AppError,
  billingRowOf,
  type PaidPlanId,
  priceOfPlan,
  setStripeCustomer,
} from "@netia/core";
import type { Db } from "@netia/db";
import Stripe from "stripe";
import { stripeClient } from "./client";

export type BillingDeps = { db: Db; stripe: StripeSettings; appUrl: string };

export const BILLING_PATH = "/settings/billing";

/** Stripe refuses a subscription trial that ends sooner than 48 hours from now. */
const TRIAL_END_MIN_SECONDS = 48 * 60 * 60 + 60;

async function customerOf(
  deps: BillingDeps,
  input: { accountId: string; email: string; companyName: string },
): Promise<string> {
  return deps.db.transaction(async (tx) => {
    // Locked, so two clicks on Upgrade make one customer.
    const row = await billingRowOf(tx, deps.stripe, input.accountId, { lock: true });
    if (row.stripeCustomerId) return row.stripeCustomerId;
    const customer = await stripeClient(deps.stripe).customers.create(
      {
        email: input.email,
        name: input.companyName,
        metadata: { accountId: input.accountId },
      },
      { idempotencyKey: `netia-customer-${input.accountId}` },
    );
    await setStripeCustomer(tx, input.accountId, customer.id);
    return customer.id;
  });
}

/** A Checkout session for `plan`; the admin's browser goes to its URL. */
export async function startCheckout(
  deps: BillingDeps,
  input: { accountId: string; email: string; companyName: string; plan: PaidPlanId },
): Promise<{ url: string }> {
  const row = await billingRowOf(deps.db, deps.stripe, input.accountId);
  if (row.exempt) throw new AppError("BAD_REQUEST", "This account is exempt from billing");
  if (row.status === "active" || row.status === "trialing" || row.status === "past_due") {
    throw new AppError(
      "CONFLICT",
      "This account already has a subscription; change it with Manage billing",
    );
  }
  const customer = await customerOf(deps, input);
  const page = new URL(BILLING_PATH, deps.appUrl);
  // Upgrading during the trial does not cut it short: Stripe charges when it
  // ends. Stripe wants a trial end at least two days ahead; closer than that
  // the subscription starts now.
  const trialEnd = Math.floor(row.trialEndsAt.getTime() / 1000);
  const keepTrial = row.status === null && trialEnd - Date.now() / 1000 > TRIAL_END_MIN_SECONDS;
  const session = await withStripeErrors(() =>
    stripeClient(deps.stripe).checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: input.accountId,
      line_items: [{ price: priceOfPlan(deps.stripe, input.plan), quantity: 1 }],
      subscription_data: {
        metadata: { accountId: input.accountId },
        ...(keepTrial ? { trial_end: trialEnd } : {}),
      },
      metadata: { accountId: input.accountId },
      success_url: `${page}?checkout=done`,
      cancel_url: `${page}?checkout=cancelled`,
    }),
  );
  if (!session.url) throw new Error("Stripe returned a Checkout session without a URL");
  return { url: session.url };
}

/** A customer-portal session: payment methods, invoices, cancellation. */
export async function openPortal(
  deps: BillingDeps,
  input: { accountId: string },
): Promise<{ url: string }> {
  const row = await billingRowOf(deps.db, deps.stripe, input.accountId);
  if (!row.stripeCustomerId) {
    throw new AppError("BAD_REQUEST", "Nothing to manage yet: subscribe to a plan first");
  }
  const session = await withStripeErrors(() =>
    stripeClient(deps.stripe).billingPortal.sessions.create({
      customer: row.stripeCustomerId as string,
      return_url: new URL(BILLING_PATH, deps.appUrl).toString(),
    }),
  );
  return { url: session.url };
}

export type NextInvoice = { amountDue: number; currency: string; date: Date | null } | null;

/** The invoice Stripe will send next; null without a subscription that renews. */
export async function nextInvoice(
  deps: Pick<BillingDeps, "db" | "stripe">,
  input: { accountId: string },
): Promise<NextInvoice> {
  const row = await billingRowOf(deps.db, deps.stripe, input.accountId);
  if (!row.stripeCustomerId || !row.stripeSubscriptionId || row.status === "canceled") return null;
  try {
    const invoice = await stripeClient(deps.stripe).invoices.createPreview({
      customer: row.stripeCustomerId,
      subscription: row.stripeSubscriptionId,
    });
    const at = invoice.next_payment_attempt ?? invoice.period_end;
    return {
      amountDue: invoice.amount_due,
      currency: invoice.currency,
      date: at ? new Date(at * 1000) : null,
    };
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) return null; // nothing upcoming
    throw error;
  }
}

/** Stripe being unreachable or refusing is said plainly, never as a stack trace. */
async function withStripeErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new AppError(
        "BAD_REQUEST",
        `Stripe could not do this now (${error.message}); try again in a moment`,
      );
    }
    throw error;
  }
}
