// The plans, in one place: what each is called, what it costs in Stripe (its
// price id comes from the settings) and what it allows. Every limit check,
// the billing page and docs/billing.md read this table.
import type { StripeSettings } from "@netia/config";

export type PlanId = "starter" | "team" | "business";

/** What a plan limits. `null` in a plan's limits means unlimited. */
export type LimitName = "seats" | "inboxes" | "aiReplies";

export type Limits = Record<LimitName, number | null>;

export type Plan = {
  id: PlanId;
  name: string;
  /** Which STRIPE_PRICE_* sells it; null for the free plan. */
  price: keyof StripeSettings["prices"] | null;
  limits: Limits;
};

export const PLANS: Record<PlanId, Plan> = {
  starter: {
    id: "starter",
    name: "Starter",
    price: null,
    limits: { seats: 2, inboxes: 1, aiReplies: 50 },
  },
  team: {
    id: "team",
    name: "Team",
    price: "team",
    limits: { seats: 10, inboxes: 5, aiReplies: 2_000 },
  },
  business: {
    id: "business",
    name: "Business",
    price: "business",
    limits: { seats: 50, inboxes: 25, aiReplies: 10_000 },
  },
};

/** The plan a new account tries during its trial. */
export const TRIAL_PLAN: PlanId = "team";

/** What an account has with billing off, or when an operator exempts it. */
export const UNLIMITED: Limits = { seats: null, inboxes: null, aiReplies: null };

/** How each limit is named to people. */
export const LIMIT_LABELS: Record<LimitName, string> = {
  seats: "Seats (active team members and pending invitations)",
  inboxes: "Inboxes",
  aiReplies: "AI replies this month",
};

/** The paid plans, cheapest first: what an admin can buy. */
export const PAID_PLANS = ["team", "business"] as const satisfies readonly PlanId[];
export type PaidPlanId = (typeof PAID_PLANS)[number];

export function priceOfPlan(settings: StripeSettings, plan: PaidPlanId): string {
  return settings.prices[plan];
}

/** The plan a Stripe price sells; null for a price Netia does not know. */
export function planOfPrice(settings: StripeSettings, priceId: string): PaidPlanId | null {
  return PAID_PLANS.find((plan) => settings.prices[plan] === priceId) ?? null;
}
