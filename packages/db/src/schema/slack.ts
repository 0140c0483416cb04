// Slack: the workspace an account installed Netia's app into, the thread each
// conversation lives in, every Slack message that became (or came from) a
// Netia message, the shared support channels tied to companies, and every
// signed request Slack sent (kept once, by its id, so a retry does nothing
// twice). docs/slack.md tells the whole story.
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accountIdColumn, accounts } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestampMs, timestamps } from "./columns";
import { conversations, messages } from "./conversations";
import { companies } from "./customers";
import { inboxes } from "./inboxes";

export const slackConnectionStatusEnum = pgEnum("slack_connection_status", [
  "active",
  /** Slack refused the bot token (app uninstalled, token revoked): an admin must reconnect. */
  "reconnect_required",
]);

/**
 * How conversations appear in the notification channel: `threads` (one
 * message per conversation, its messages in the thread, replies from Slack go
 * to the customer) or `alerts` (one message per new conversation and customer
 * message, no threads, nothing comes back from Slack).
 */
export const slackModeEnum = pgEnum("slack_mode", ["threads", "alerts"]);

/**
 * The Slack workspace an account installed Netia's app into (OAuth v2), one
 * per account. The bot token is encrypted with a key derived from
 * SECRET_KEY_BASE (packages/core/src/token-crypto.ts).
 */
export const slackConnections = pgTable(
  "slack_connections",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** Slack's workspace (team) id and name. */
    teamId: text().notNull(),
    teamName: text().notNull(),
    /** The app's bot user in that workspace: its own messages are never imported. */
    botUserId: text().notNull(),
    botTokenEncrypted: text().notNull(),
    scope: text(),
    /** Where new conversations are posted; null until an admin picks a channel. */
    channelId: text(),
    channelName: text(),
    mode: slackModeEnum().notNull().default("threads"),
    /** A thread reply starting with this is a private note, not a reply to the customer. */
    notePrefix: text().notNull().default(";;"),
    status: slackConnectionStatusEnum().notNull().default("active"),
    lastError: text(),
    connectedById: text().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("slack_connections_account_idx").on(t.accountId),
    // Events name the workspace: this finds its account.
    index("slack_connections_team_idx").on(t.teamId),
  ],
);

/** Where a conversation's thread is: the notification channel, or a shared support channel. */
export const slackThreadKindEnum = pgEnum("slack_thread_kind", ["notification", "support"]);

/**
 * The Slack thread of one conversation, and how far Netia has posted into it.
 * Posting is ordered: the thread job posts messages with a seq above
 * `postedThroughSeq` one at a time and moves it after each, so a retry resumes
 * where the last attempt stopped.
 */
export const slackThreads = pgTable(
  "slack_threads",
  {
    conversationId: uuid()
      .primaryKey()
      .references(() => conversations.id, { onDelete: "cascade" }),
    accountId: accountIdColumn(),
    connectionId: uuid()
      .notNull()
      .references(() => slackConnections.id, { onDelete: "cascade" }),
    kind: slackThreadKindEnum().notNull().default("notification"),
    channelId: text().notNull(),
    /** ts of the thread's first message (the conversation's header); null until posted. */
    threadTs: text(),
    /** Seq of the newest message posted to (or imported from) the thread. */
    postedThroughSeq: bigint({ mode: "number" }).notNull().default(0),
    /** What the header last showed (status, assignee, priority), so it is updated only on change. */
    headerState: text(),
    /** Why the last post failed, and when; cleared by the next success. */
    lastError: text(),
    failedAt: timestampMs(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("slack_threads_thread_idx")
      .on(t.accountId, t.channelId, t.threadTs)
      .where(sql`${t.threadTs} is not null`),
    index("slack_threads_failed_idx")
      .on(t.accountId, t.failedAt.desc())
      .where(sql`${t.failedAt} is not null`),
  ],
);

/**
 * Every Slack message that became a Netia message (a reply or note from a
 * thread, a customer's message in a support channel) or that Netia posted for
 * one, so nothing is imported twice and nothing imported is posted back.
 */
export const slackMessages = pgTable(
  "slack_messages",
  {
    channelId: text().notNull(),
    ts: text().notNull(),
    accountId: accountIdColumn(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid().references(() => messages.id, { onDelete: "cascade" }),
    /** in (from Slack), out (posted by Netia) */
    direction: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.channelId, t.ts] }),
    uniqueIndex("slack_messages_message_idx")
      .on(t.messageId)
      .where(sql`${t.messageId} is not null`),
  ],
);

/**
 * A shared customer channel (Slack Connect) tied to a company: a top-level
 * message there from the customer starts a conversation in `inboxId`, and the
 * team's replies go back to its thread.
 */
export const slackSupportChannels = pgTable(
  "slack_support_channels",
  {
    id: id(),
    accountId: accountIdColumn(),
    connectionId: uuid()
      .notNull()
      .references(() => slackConnections.id, { onDelete: "cascade" }),
    channelId: text().notNull(),
    channelName: text().notNull(),
    companyId: uuid()
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    inboxId: uuid()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    ...timestamps,
  },
  (t) => [uniqueIndex("slack_support_channels_channel_idx").on(t.connectionId, t.channelId)],
);

/**
 * Every signed request Slack sent that Netia accepted: Events API callbacks
 * (keyed by `event_id`) and interactivity payloads (keyed by their action),
 * stored once with the job that handles it, so Slack's retries
 * (X-Slack-Retry-Num) never do anything twice.
 */
export const slackEvents = pgTable(
  "slack_events",
  {
    id: id(),
    /** Slack's id of the request: event_id, or the interaction's own key. */
    slackId: text().notNull(),
    /** event or interaction */
    kind: text().notNull(),
    teamId: text(),
    /** Null when no account has the workspace installed (the request is then ignored). */
    accountId: uuid().references(() => accounts.id, { onDelete: "cascade" }),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    /** What handling it did: imported, ignored (why), failed (why). */
    outcome: text(),
    receivedAt: createdAt(),
    processedAt: timestampMs(),
  },
  (t) => [
    uniqueIndex("slack_events_slack_id_idx").on(t.kind, t.slackId),
    index("slack_events_received_idx").on(t.receivedAt),
  ],
);
