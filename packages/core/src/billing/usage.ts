// What an account uses of each limit now: seats (active members and the
// invitations still open, since each becomes a member), inboxes, and the
// assistant's answers this calendar month (UTC).
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { and, count, eq, gt, gte, isNull } from "drizzle-orm";
import type { LimitName } from "./plans";

const { memberships, invitations, inboxes, assistantRuns } = schema;

export type Usage = Record<LimitName, number>;

/** The first instant of `now`'s month, UTC: AI replies are counted from here. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export async function usageOf(
  db: Db | Tx,
  accountId: string,
  limit: LimitName,
  now: Date = new Date(),
): Promise<number> {
  if (limit === "seats") {
    const [members] = await db
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.accountId, accountId), isNull(memberships.disabledAt)));
    const [open] = await db
      .select({ n: count() })
      .from(invitations)
      .where(
        and(
          eq(invitations.accountId, accountId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      );
    return (members?.n ?? 0) + (open?.n ?? 0);
  }
  if (limit === "inboxes") {
    const [row] = await db
      .select({ n: count() })
      .from(inboxes)
      .where(eq(inboxes.accountId, accountId));
    return row?.n ?? 0;
  }
  const [row] = await db
    .select({ n: count() })
    .from(assistantRuns)
    .where(
      and(
        eq(assistantRuns.accountId, accountId),
        eq(assistantRuns.kind, "reply"),
        eq(assistantRuns.outcome, "answered"),
        gte(assistantRuns.createdAt, monthStart(now)),
      ),
    );
  return row?.n ?? 0;
}

export async function usageOfAll(db: Db | Tx, accountId: string, now = new Date()): Promise<Usage> {
  const [seats, inboxCount, aiReplies] = await Promise.all([
    usageOf(db, accountId, "seats", now),
    usageOf(db, accountId, "inboxes", now),
    usageOf(db, accountId, "aiReplies", now),
  ]);
  return { seats, inboxes: inboxCount, aiReplies };
}
