// Where an account stands, from its billing row and the clock: each state and
// its limits, the grace period's edges, and the exemption over everything.
import type { schema } from "@netia/db";
import { describe, expect, it } from "vitest";
import { PLANS, UNLIMITED } from "./plans";
import { standingOf } from "./standing";

const DAY = 86_400_000;
const now = new Date("2026-06-15T12:00:00Z");
const row = (patch: Partial<typeof schema.billingAccounts.$inferSelect> = {}) => ({
  accountId: "a",
  plan: "starter",
  status: null,
  stripeCustomerId: null,
  stripeSubscriptionId: null,
  trialEndsAt: new Date(now.getTime() + 3.5 * DAY),
  currentPeriodEnd: null,
  cancelAtPeriodEnd: false,
  pastDueSince: null,
  exempt: false,
  createdAt: now,
  updatedAt: now,
  ...patch,
});
const settings = { graceDays: 7 };

describe("standingOf", () => {
  it("tries the Team plan during the trial, then falls to Starter", () => {
    expect(standingOf(row(), settings, now)).toMatchObject({
      state: "trial",
      plan: "team",
      trialDaysLeft: 4,
      limits: PLANS.team.limits,
    });
    const over = row({ trialEndsAt: new Date(now.getTime() - 1) });
    expect(standingOf(over, settings, now)).toMatchObject({
      state: "free",
      plan: "starter",
      trialDaysLeft: 0,
    });
  });

  it("keeps the paid plan while active and through the grace period, not a moment after", () => {
    const paying = row({ plan: "business", status: "active", trialEndsAt: new Date(0) });
    expect(standingOf(paying, settings, now)).toMatchObject({
      state: "active",
      limits: PLANS.business.limits,
    });
    const since = new Date(now.getTime() - 7 * DAY + 1);
    const pastDue = { ...paying, status: "past_due", pastDueSince: since };
    expect(standingOf(pastDue, settings, now)).toMatchObject({
      state: "grace",
      plan: "business",
      graceEndsAt: new Date(since.getTime() + 7 * DAY),
    });
    const later = new Date(since.getTime() + 7 * DAY);
    expect(standingOf(pastDue, settings, later)).toMatchObject({
      state: "downgraded",
      plan: "starter",
      subscribedPlan: "business",
      limits: PLANS.starter.limits,
    });
    // A cancelled subscription during a trial still open gets the trial back.
    expect(
      standingOf(
        { ...paying, status: "canceled", trialEndsAt: new Date(now.getTime() + DAY) },
        settings,
        now,
      ).state,
    ).toBe("trial");
  });

  it("makes an exempt account unlimited whatever Stripe says", () => {
    const exempt = row({
      exempt: true,
      status: "past_due",
      pastDueSince: new Date(0),
      trialEndsAt: new Date(0),
    });
    expect(standingOf(exempt, settings, now)).toMatchObject({ state: "exempt", limits: UNLIMITED });
  });
});
