// Where an account stands with billing, from its row and the clock: trialling,
// paying, in its grace period after a failed payment, downgraded to the free
// plan's limits, or exempt. A pure function, so every state is easy to test
// and the page, the banner and the limit checks can never disagree.
import type { StripeSettings } from "@netia/config";
import type { schema } from "@netia/db";
import { type Limits, PLANS, type PlanId, TRIAL_PLAN, UNLIMITED } from "./plans";

type BillingRow = typeof schema.billingAccounts.$inferSelect;

export type BillingState =
  /** An operator made the account unlimited. */
  | "exempt"
  /** No subscription yet, within the trial: the trial plan's limits. */
  | "trial"
  /** Paying (Stripe says active or trialing). */
  | "active"
  /** A payment failed; the paid plan's limits hold until the grace period ends. */
  | "grace"
  /** Past due beyond the grace period: the free plan's limits until paid. */
  | "downgraded"
  /** No trial left and no subscription (never subscribed, or cancelled). */
  | "free";

export type BillingStanding = {
  state: BillingState;
  /** The plan whose limits apply now. */
  plan: PlanId;
  /** The plan the subscription pays for (starter when none). */
  subscribedPlan: PlanId;
  /** Stripe's status of the subscription; null when never subscribed. */
  status: string | null;
  limits: Limits;
  trialEndsAt: Date;
  /** Whole days of trial left, 0 once it is over. */
  trialDaysLeft: number;
  /** When a past-due account loses its paid limits; null unless past due. */
  graceEndsAt: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  hasCustomer: boolean;
};

const DAY_MS = 24 * 60 * 60 * 1000;
const PAYING = new Set(["active", "trialing"]);
const PAST_DUE = new Set(["past_due", "unpaid"]);

export function standingOf(
  row: BillingRow,
  settings: Pick<StripeSettings, "graceDays">,
  now: Date = new Date(),
): BillingStanding {
  const subscribedPlan = (row.plan in PLANS ? row.plan : "starter") as PlanId;
  const trialLeftMs = row.trialEndsAt.getTime() - now.getTime();
  const graceEndsAt =
    row.status && PAST_DUE.has(row.status) && row.pastDueSince
      ? new Date(row.pastDueSince.getTime() + settings.graceDays * DAY_MS)
      : null;
  const base = {
    subscribedPlan,
    status: row.status,
    trialEndsAt: row.trialEndsAt,
    trialDaysLeft: Math.max(0, Math.ceil(trialLeftMs / DAY_MS)),
    graceEndsAt,
    currentPeriodEnd: row.currentPeriodEnd,
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    hasCustomer: row.stripeCustomerId !== null,
  };
  const on = (state: BillingState, plan: PlanId): BillingStanding => ({
    ...base,
    state,
    plan,
    limits: PLANS[plan].limits,
  });
  if (row.exempt) return { ...on("exempt", subscribedPlan), limits: UNLIMITED };
  if (row.status && PAYING.has(row.status)) return on("active", subscribedPlan);
  if (row.status && PAST_DUE.has(row.status)) {
    // Without a recorded start (never expected) the grace period starts now.
    if (!graceEndsAt || now < graceEndsAt) return on("grace", subscribedPlan);
    return on("downgraded", "starter");
  }
  if (trialLeftMs > 0) return on("trial", TRIAL_PLAN);
  return on("free", "starter");
}
