// The one place plan limits are enforced. Every write that a plan limits
// (inviting, enabling a member, adding an inbox, an AI reply) asks here first,
// on the server, so bypassing the dashboard changes nothing. With billing off
// (no PAPERCUPS_STRIPE_SECRET) nothing is limited and nothing is read.
import type { Config } from "@netia/config";
import type { Db, Tx } from "@netia/db";
import { AppError } from "../errors";
import { billingRowOf } from "./accounts";
import { type LimitName, type Limits, PLANS, UNLIMITED } from "./plans";
import { type BillingStanding, standingOf } from "./standing";
import { usageOf } from "./usage";

export type BillingConfig = Pick<Config, "stripe">;

/** Where the account stands; null when billing is off. */
export async function getBillingStanding(
  db: Db | Tx,
  config: BillingConfig,
  accountId: string,
  options: { lock?: boolean; now?: Date } = {},
): Promise<BillingStanding | null> {
  if (!config.stripe) return null;
  const row = await billingRowOf(db, config.stripe, accountId, options);
  return standingOf(row, config.stripe, options.now);
}

/** The limits that apply to the account now (all unlimited with billing off). */
export async function limitsOf(
  db: Db | Tx,
  config: BillingConfig,
  accountId: string,
): Promise<Limits> {
  return (await getBillingStanding(db, config, accountId))?.limits ?? UNLIMITED;
}

/** Whether one more of `limit` fits the account's plan now. */
export async function withinLimit(
  db: Db | Tx,
  config: BillingConfig,
  accountId: string,
  limit: LimitName,
): Promise<boolean> {
  return (await limitRefusal(db, config, accountId, limit)) === null;
}

/**
 * Refuses one more of `limit` past the plan's allowance, with a message that
 * says what to do. Inside a transaction the account's billing row stays
 * locked until it ends, so two requests at the last free seat cannot both pass.
 */
export async function assertWithinLimit(
  db: Db | Tx,
  config: BillingConfig,
  accountId: string,
  limit: LimitName,
): Promise<void> {
  const refusal = await limitRefusal(db, config, accountId, limit, { lock: true });
  if (refusal) throw new AppError("FORBIDDEN", refusal);
}

async function limitRefusal(
  db: Db | Tx,
  config: BillingConfig,
  accountId: string,
  limit: LimitName,
  options: { lock?: boolean } = {},
): Promise<string | null> {
  const standing = await getBillingStanding(db, config, accountId, options);
  const allowed = standing?.limits[limit] ?? null;
  if (standing === null || allowed === null) return null;
  const used = await usageOf(db, accountId, limit);
  if (used < allowed) return null;
  return refusalMessage(standing, limit, allowed);
}

function refusalMessage(standing: BillingStanding, limit: LimitName, allowed: number): string {
  const plan = PLANS[standing.plan].name;
  const why =
    standing.state === "downgraded"
      ? ` (your payment is overdue, so the ${plan} plan's limits apply until it is paid)`
      : "";
  const upgrade = "Upgrade in Settings → Billing";
  switch (limit) {
    case "seats":
      return `Your ${plan} plan has ${allowed} ${allowed === 1 ? "seat" : "seats"}, all taken by members and pending invitations${why}. ${upgrade}, or disable a member or revoke an invitation first`;
    case "inboxes":
      return `Your ${plan} plan allows ${allowed} ${allowed === 1 ? "inbox" : "inboxes"}${why}. ${upgrade} to add more`;
    case "aiReplies":
      return `Your ${plan} plan's ${allowed} AI replies this month are used${why}; the team answers until next month. ${upgrade} for more`;
  }
}
