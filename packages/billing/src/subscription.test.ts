// Which of a customer's Stripe subscriptions decides the account's plan, and
// how it reads in Netia's terms.
import type { StripeSettings } from "@netia/config";
import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { currentSubscription, snapshotOf } from "./subscription";

const settings = { prices: { team: "price_t", business: "price_b" } } as StripeSettings;

const sub = (id: string, status: string, created: number, price = "price_t") =>
  ({
    id,
    status,
    created,
    cancel_at_period_end: false,
    items: { data: [{ price: { id: price }, current_period_end: 1_800_000_000 }] },
  }) as unknown as Stripe.Subscription;

describe("currentSubscription", () => {
  it("prefers a live subscription to an ended one, then the newest", () => {
    const old = sub("sub_old", "canceled", 300);
    const live = sub("sub_live", "active", 100);
    const late = sub("sub_late", "past_due", 200);
    expect(currentSubscription([old, late, live])?.id).toBe("sub_live");
    expect(currentSubscription([old, late])?.id).toBe("sub_late");
    expect(currentSubscription([old])).toBeNull();
    expect(currentSubscription([sub("a", "active", 1), sub("b", "active", 2)])?.id).toBe("b");
  });

  it("reads the plan from the price and the period from the item", () => {
    expect(snapshotOf(settings, sub("s", "active", 1, "price_b"))).toEqual({
      id: "s",
      plan: "business",
      status: "active",
      currentPeriodEnd: new Date(1_800_000_000 * 1000),
      cancelAtPeriodEnd: false,
    });
    expect(snapshotOf(settings, sub("s", "active", 1, "price_unknown"))?.plan).toBe("team");
    expect(snapshotOf(settings, null)).toBeNull();
  });
});
