// The one place an agent's notification defaults live. Memberships store only
// what the agent changed (NotificationPreferences is sparse), so a default
// changed here reaches everyone who never touched it.
import { type Db, schema } from "@netia/db";
import type { NotificationPreferences } from "@netia/db/schema";
import { and, eq, sql } from "drizzle-orm";
import { notFound } from "./errors";

const { memberships } = schema;

export type ResolvedNotificationPreferences = Required<NotificationPreferences>;

export const DEFAULT_NOTIFICATION_PREFERENCES: ResolvedNotificationPreferences = {
  /** A customer starts a conversation. */
  newConversation: true,
  /** A customer writes in a conversation assigned to me. */
  assignedMessage: true,
  /** A teammate @mentions me. */
  mention: true,
  /** Play a sound with the alert. */
  sound: true,
  /** Show a browser (desktop) notification. */
  desktop: true,
  /** Email about every new conversation: off, or every agent gets every one. */
  emailNewConversation: false,
  /** Email about customer messages in conversations assigned to me. */
  emailAssignedMessage: true,
  /** Email when a teammate @mentions me. */
  emailMention: true,
  /** Email when the assistant hands a conversation to people. */
  emailHandoff: true,
  /** Alerts go out a minute or two after they happen (a burst makes one email), or as an hourly digest. */
  emailDelivery: "immediate",
};

/** The stored, sparse preferences completed with the defaults. */
export function notificationPreferences(
  stored: NotificationPreferences | null | undefined,
): ResolvedNotificationPreferences {
  return { ...DEFAULT_NOTIFICATION_PREFERENCES, ...(stored ?? {}) };
}

type Member = { accountId: string; userId: string };

/** The agent's preferences, completed with the defaults. */
export async function getNotificationPreferences(
  db: Db,
  { accountId, userId }: Member,
): Promise<ResolvedNotificationPreferences> {
  const [row] = await db
    .select({ stored: memberships.notificationPreferences })
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw notFound("Member");
  return notificationPreferences(row.stored);
}

/**
 * Changes some of the agent's preferences. The change is merged into the stored
 * object by the statement itself, so two tabs saving different switches at
 * once both keep their change.
 */
export async function updateNotificationPreferences(
  db: Db,
  { accountId, userId }: Member,
  change: NotificationPreferences,
): Promise<ResolvedNotificationPreferences> {
  const [row] = await db
    .update(memberships)
    .set({
      notificationPreferences: sql`${memberships.notificationPreferences} || ${JSON.stringify(change)}::jsonb`,
    })
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)))
    .returning({ stored: memberships.notificationPreferences });
  if (!row) throw notFound("Member");
  return notificationPreferences(row.stored);
}
