// The one place an agent's notification defaults live. Memberships store only
// what the agent changed (NotificationPreferences is sparse), so a default
// changed here reaches everyone who never touched it.
import type { NotificationPreferences } from "@netia/db/schema";

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
};

/** The stored, sparse preferences completed with the defaults. */
export function notificationPreferences(
  stored: NotificationPreferences | null | undefined,
): ResolvedNotificationPreferences {
  return { ...DEFAULT_NOTIFICATION_PREFERENCES, ...(stored ?? {}) };
}
