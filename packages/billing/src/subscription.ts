// Reading an account's subscription from Stripe and storing it: the one way
// the account's plan and status change. Every webhook event ends here, so the
// order events arrive in does not matter: each reads the customer's current
// subscriptions from Stripe, under a lock on the account's row, and the last
// to read stores the newest truth.
import type { StripeSettings } from "@netia/config";
import {
  billingRowOf,
  planOfPrice,
  recordSubscription,
  type SubscriptionSnapshot,
} from "@netia/core";
import type { Db } from "@netia/db";
import type Stripe from "stripe";
import { stripeClient } from "./client";

/** Statuses that mean the subscription still counts, best first. */
const RANK: Record<string, number> = {
  active: 0,
  trialing: 0,
  past_due: 1,
  unpaid: 1,
  incomplete: 2,
  paused: 3,
};

/** The subscription that decides the account's plan: a live one over an ended one, then the newest. */
export function currentSubscription(
  subscriptions: Stripe.Subscription[],
): Stripe.Subscription | null {
  const live = subscriptions.filter((s) => s.status in RANK);
  const sorted = live.sort(
    (a, b) => (RANK[a.status] ?? 9) - (RANK[b.status] ?? 9) || b.created - a.created,
  );
  return sorted[0] ?? null;
}

export function snapshotOf(
  settings: StripeSettings,
  subscription: Stripe.Subscription | null,
): SubscriptionSnapshot {
  if (!subscription) return null;
  const item = subscription.items.data[0];
  // A price Netia does not sell (changed in Stripe's dashboard) counts as the cheapest paid plan.
  const plan = (item && planOfPrice(settings, item.price.id)) ?? "team";
  return {
    id: subscription.id,
    plan,
    status: subscription.status,
    currentPeriodEnd: item ? new Date(item.current_period_end * 1000) : null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
  };
}

/**
 * Brings the account's row in line with Stripe. The row stays locked from
 * before Stripe is asked until the answer is stored, so two events handled at
 * once cannot store an older answer over a newer one.
 */
export async function reconcileAccount(
  deps: { db: Db; stripe: StripeSettings },
  accountId: string,
): Promise<SubscriptionSnapshot> {
  return deps.db.transaction(async (tx) => {
    const row = await billingRowOf(tx, deps.stripe, accountId, { lock: true });
    if (!row.stripeCustomerId) return null;
    const listed = await stripeClient(deps.stripe).subscriptions.list({
      customer: row.stripeCustomerId,
      status: "all",
      limit: 20,
    });
    const snapshot = snapshotOf(deps.stripe, currentSubscription(listed.data));
    await recordSubscription(tx, accountId, snapshot);
    return snapshot;
  });
}
