// Each account's billing row: made the first time billing looks at the
// account (its trial counted from the account's creation), changed only by
// what Stripe says of the subscription and by an operator's exemption.
import type { StripeSettings } from "@netia/config";
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { eq, sql } from "drizzle-orm";
import { AppError, notFound } from "../errors";
import type { PlanId } from "./plans";

const { billingAccounts, accounts, users, memberships } = schema;

export type BillingRow = typeof billingAccounts.$inferSelect;

/**
 * The account's billing row, made now if it has none. `lock` takes the row
 * for the rest of the transaction (`db` must then be one): a limit check and
 * the write it allows, or a reconcile with Stripe, run one at a time per account.
 */
export async function billingRowOf(
  db: Db | Tx,
  settings: Pick<StripeSettings, "trialDays">,
  accountId: string,
  options: { lock?: boolean } = {},
): Promise<BillingRow> {
  await db
    .insert(billingAccounts)
    .select(
      db
        .select({
          accountId: accounts.id,
          plan: sql<string>`'starter'`.as("plan"),
          status: sql<string | null>`null`.as("status"),
          stripeCustomerId: sql<string | null>`null`.as("stripe_customer_id"),
          stripeSubscriptionId: sql<string | null>`null`.as("stripe_subscription_id"),
          trialEndsAt:
            sql<Date>`${accounts.createdAt} + make_interval(days => ${settings.trialDays}::int)`.as(
              "trial_ends_at",
            ),
          currentPeriodEnd: sql<Date | null>`null`.as("current_period_end"),
          cancelAtPeriodEnd: sql<boolean>`false`.as("cancel_at_period_end"),
          pastDueSince: sql<Date | null>`null`.as("past_due_since"),
          exempt: sql<boolean>`false`.as("exempt"),
          createdAt: sql<Date>`now()`.as("created_at"),
          updatedAt: sql<Date>`now()`.as("updated_at"),
        })
        .from(accounts)
        .where(eq(accounts.id, accountId)),
    )
    .onConflictDoNothing();
  const query = db.select().from(billingAccounts).where(eq(billingAccounts.accountId, accountId));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound("Account");
  return row;
}

/** The account whose Stripe customer this is; null for a customer Netia did not make. */
export async function accountOfCustomer(db: Db | Tx, customerId: string): Promise<string | null> {
  const [row] = await db
    .select({ accountId: billingAccounts.accountId })
    .from(billingAccounts)
    .where(eq(billingAccounts.stripeCustomerId, customerId))
    .limit(1);
  return row?.accountId ?? null;
}

export async function setStripeCustomer(db: Db | Tx, accountId: string, customerId: string) {
  await db
    .update(billingAccounts)
    .set({ stripeCustomerId: customerId })
    .where(eq(billingAccounts.accountId, accountId));
}

/** A subscription as Stripe reports it, in Netia's terms (null: the customer has none). */
export type SubscriptionSnapshot = {
  id: string;
  plan: PlanId;
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
} | null;

const PAST_DUE = ["past_due", "unpaid"];

/**
 * Stores what Stripe says now. The grace period starts the first time the
 * subscription is seen past due and is kept while it stays so; any other
 * status ends it. Repeating the same snapshot changes nothing.
 */
export async function recordSubscription(
  db: Db | Tx,
  accountId: string,
  snapshot: SubscriptionSnapshot,
  now: Date = new Date(),
): Promise<void> {
  const pastDue = snapshot !== null && PAST_DUE.includes(snapshot.status);
  await db
    .update(billingAccounts)
    .set({
      plan: snapshot?.plan ?? "starter",
      status: snapshot?.status ?? null,
      stripeSubscriptionId: snapshot?.id ?? null,
      currentPeriodEnd: snapshot?.currentPeriodEnd ?? null,
      cancelAtPeriodEnd: snapshot?.cancelAtPeriodEnd ?? false,
      pastDueSince: pastDue
        ? sql`coalesce(${billingAccounts.pastDueSince}, ${now.toISOString()}::timestamptz)`
        : null,
    })
    .where(eq(billingAccounts.accountId, accountId));
}

/**
 * An operator's switch (`netia billing exempt`): an exempt account is
 * unlimited and never sees a bill. `target` is the account's id or the email
 * of one of its members. Returns the account's id and name.
 */
export async function setBillingExempt(
  db: Db,
  settings: Pick<StripeSettings, "trialDays">,
  target: string,
  exempt: boolean,
): Promise<{ accountId: string; companyName: string }> {
  const account = await findAccountOf(db, target);
  await billingRowOf(db, settings, account.accountId);
  await db
    .update(billingAccounts)
    .set({ exempt })
    .where(eq(billingAccounts.accountId, account.accountId));
  return account;
}

async function findAccountOf(db: Db, target: string) {
  const byId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(target);
  const columns = { accountId: accounts.id, companyName: accounts.companyName };
  const [row] = byId
    ? await db.select(columns).from(accounts).where(eq(accounts.id, target))
    : await db
        .select(columns)
        .from(users)
        .innerJoin(memberships, eq(memberships.userId, users.id))
        .innerJoin(accounts, eq(accounts.id, memberships.accountId))
        .where(eq(users.email, target.toLowerCase()))
        .limit(1);
  if (!row) {
    throw new AppError("NOT_FOUND", `No account has the id, or a member with the email, ${target}`);
  }
  return row;
}
