// Billing with Stripe (docs/billing.md): each account's subscription as Netia
// last read it from Stripe, and every webhook event Stripe sent, kept once by
// its id so a redelivery does nothing twice. Only used when billing is on
// (PAPERCUPS_STRIPE_SECRET); a self-hosted Netia never writes these tables.
import { boolean, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { createdAt, timestampMs, timestamps } from "./columns";

/**
 * One row per account, made when billing first looks at the account (its
 * trial runs from the account's creation). `plan` and `status` are what
 * Stripe says of the account's newest subscription; `exempt` is the
 * operator's switch that makes the account unlimited whatever Stripe says.
 */
export const billingAccounts = pgTable(
  "billing_accounts",
  {
    accountId: uuid()
      .primaryKey()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** starter (free), team or business: the plan the subscription pays for. */
    plan: text().notNull().default("starter"),
    /** Stripe's subscription status (active, past_due, canceled, ...); null: never subscribed. */
    status: text(),
    stripeCustomerId: text().unique(),
    stripeSubscriptionId: text(),
    trialEndsAt: timestampMs().notNull(),
    currentPeriodEnd: timestampMs(),
    cancelAtPeriodEnd: boolean().notNull().default(false),
    /** When the subscription last went past due; the grace period runs from here. */
    pastDueSince: timestampMs(),
    /** Unlimited, never billed: set by an operator (docs/billing.md). */
    exempt: boolean().notNull().default(false),
    ...timestamps,
  },
  (t) => [index("billing_accounts_subscription_idx").on(t.stripeSubscriptionId)],
);

/**
 * Every signed event Stripe delivered, once by Stripe's event id; stored in
 * the transaction that queues its billing.reconcile job, so a stored event is
 * always handled and a redelivery finds it here.
 */
export const stripeEvents = pgTable("stripe_events", {
  /** Stripe's event id (evt_...). */
  id: text().primaryKey(),
  type: text().notNull(),
  /** The account it concerned; null for events about no account of ours, or of no interest. */
  accountId: uuid().references(() => accounts.id, { onDelete: "cascade" }),
  receivedAt: createdAt(),
});
