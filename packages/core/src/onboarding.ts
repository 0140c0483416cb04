// The first steps of a new account, each computed from what really happened
// (never from a flag the dashboard sets), so the checklist stays right however
// the step was done: from the dashboard, the API or a teammate.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, isNotNull, isNull, notInArray, or } from "drizzle-orm";

const { customers, messages, invitations, memberships } = schema;

export type OnboardingStatus = {
  /**
   * The widget ran on a website: a customer's `last_seen_at` is set only when
   * the widget starts a visitor session (`identifyVisitor`), and `host` is the
   * page's host it reported. A visitor on the dashboard's own host (the "try
   * the widget" page) does not count, nor does the settings preview, which
   * never connects.
   */
  widgetInstalled: boolean;
  /** A customer wrote a message (from the widget or any other channel). */
  customerMessage: boolean;
  /** An invitation was sent, or the account has a second member. */
  teammateInvited: boolean;
};

export async function onboardingStatus(
  db: Db,
  {
    accountId,
    dashboardHosts,
  }: {
    accountId: string;
    /** The hosts the dashboard is served on (`host:port`, as `location.host` gives). */
    dashboardHosts: string[];
  },
): Promise<OnboardingStatus> {
  const hosts = dashboardHosts.filter(Boolean);
  // Each probe reads at most a row or two through an index on account_id.
  const [seen, written, invited, members] = await Promise.all([
    db
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.accountId, accountId),
          isNotNull(customers.lastSeenAt),
          // A session started without a browser context (the SDK) has no host.
          hosts.length > 0
            ? or(isNull(customers.host), notInArray(customers.host, hosts))
            : undefined,
        ),
      )
      .limit(1),
    db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.accountId, accountId), eq(messages.senderType, "customer")))
      .limit(1),
    db
      .select({ id: invitations.id })
      .from(invitations)
      .where(eq(invitations.accountId, accountId))
      .limit(1),
    db
      .select({ id: memberships.id })
      .from(memberships)
      .where(eq(memberships.accountId, accountId))
      .limit(2),
  ]);
  return {
    widgetInstalled: seen.length > 0,
    customerMessage: written.length > 0,
    teammateInvited: invited.length > 0 || members.length > 1,
  };
}
