// Accounts are Netia's tenants: a business, its team and its inboxes.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt, id, timestampMs, timestamps } from "./columns";

export const roleEnum = pgEnum("role", ["admin", "agent"]);

/** Working hours as stored: one entry per weekday (0 = Sunday), minutes from midnight. */
export type WorkingHours = { day: number; startMinute: number; endMinute: number }[];

/**
 * What an agent is alerted about while the dashboard tab is hidden, and how.
 * Stored sparse: a missing key takes its default from core's
 * `notificationPreferences()`, the one place the defaults live.
 */
export type NotificationPreferences = Partial<{
  newConversation: boolean;
  assignedMessage: boolean;
  mention: boolean;
  sound: boolean;
  desktop: boolean;
  /** Email me about new conversations (off by default: every agent would get every one). */
  emailNewConversation: boolean;
  /** Email me about customer messages in conversations assigned to me. */
  emailAssignedMessage: boolean;
  /** Email me when a teammate @mentions me. */
  emailMention: boolean;
  /** Email me when the assistant hands a conversation to people. */
  emailHandoff: boolean;
  /** Send each alert within a minute (bursts still coalesce), or a digest every hour. */
  emailDelivery: "immediate" | "hourly";
}>;

export const accounts = pgTable("accounts", {
  id: id(),
  companyName: text().notNull(),
  logoUrl: text(),
  timeZone: text().notNull().default("UTC"),
  workingHours: jsonb().$type<WorkingHours>().notNull().default([]),
  /** Shown to customers who write outside working hours; null for none. */
  awayMessage: text(),
  /**
   * Minutes after which a customer with an email who has not seen an agent's
   * reply is emailed the conversation; null: never.
   */
  customerEmailAfterMinutes: integer().default(10),
  /** The name emails to customers come from ("Acme Support"); null: the company name. */
  emailSenderName: text(),
  ...timestamps,
});

/** The tenant column every account-owned table carries; rows go when their account goes. */
export const accountIdColumn = () =>
  uuid()
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" });

/** A user belongs to exactly one account, as in Papercups. */
export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    accountId: accountIdColumn(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum().notNull().default("agent"),
    disabledAt: timestampMs(),
    notificationPreferences: jsonb().$type<NotificationPreferences>().notNull().default({}),
    ...timestamps,
  },
  (t) => [uniqueIndex().on(t.userId), index().on(t.accountId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    accountId: accountIdColumn(),
    email: text().notNull(),
    role: roleEnum().notNull().default("agent"),
    /** SHA-256 of the token sent to the invitee; the token itself is never stored. */
    tokenHash: text().notNull().unique(),
    invitedById: text().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestampMs().notNull(),
    acceptedAt: timestampMs(),
    revokedAt: timestampMs(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.accountId, t.createdAt),
    index("invitations_email_idx").on(sql`lower(${t.email})`),
  ],
);
