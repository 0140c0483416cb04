// Email: every message Netia sends (one row per email, sent by a durable job),
// every message it receives (deduplicated by Message-ID), the alerts waiting
// to go into an agent's next email, and the Gmail mailboxes connected as
// channels. docs/email.md tells the whole story.
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestampMs, timestamps } from "./columns";
import { conversations, messages } from "./conversations";
import { customers } from "./customers";
import { inboxes } from "./inboxes";

export const outboundEmailStatusEnum = pgEnum("outbound_email_status", [
  "queued",
  "sent",
  "failed",
  /** Not sent on purpose: the agent was disabled, the customer unsubscribed. */
  "skipped",
]);

/**
 * One email Netia sends. Rendered when queued (HTML and plain text from one
 * template), then delivered by the `email.send` job, which retries with
 * backoff and marks the row `failed` when the retries run out: admins see
 * both on the outgoing mail page. Without SMTP the job writes it to the log.
 */
export const outboundEmails = pgTable(
  "outbound_emails",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** invitation, password_reset, agent_alert, customer_reply, transcript, conversation_reply, webhook_disabled */
    kind: text().notNull(),
    toAddress: text().notNull(),
    /** The agent it is for (alerts, resets): never sent once they are disabled. */
    userId: text().references(() => users.id, { onDelete: "set null" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    conversationId: uuid().references(() => conversations.id, { onDelete: "set null" }),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    /**
     * Holds a secret (a password reset link): the body is never shown on the
     * outgoing mail page or logged in production, and is blanked once sent.
     */
    sensitive: boolean().notNull().default(false),
    /** Extra headers: List-Unsubscribe, In-Reply-To, References, Auto-Submitted. */
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    replyTo: text(),
    /** The Message-ID header it is sent with (`<id@host>`), so replies map back. */
    messageIdHeader: text().notNull(),
    /** Uploads (attachments table ids) sent as attachments. */
    attachmentIds: jsonb().$type<string[]>().notNull().default([]),
    /** The same email is queued once per key and account (a retried job, a repeated sweep). */
    dedupeKey: text(),
    status: outboundEmailStatusEnum().notNull().default("queued"),
    /** How it went out: smtp, log (no SMTP configured) or gmail. */
    transport: text(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    sentAt: timestampMs(),
    failedAt: timestampMs(),
    createdAt: createdAt(),
  },
  (t) => [
    index("outbound_emails_account_idx").on(t.accountId, t.createdAt.desc()),
    uniqueIndex("outbound_emails_dedupe_idx")
      .on(t.accountId, t.dedupeKey)
      .where(sql`${t.dedupeKey} is not null`),
    index("outbound_emails_message_id_idx").on(t.messageIdHeader),
  ],
);

/**
 * One email Netia received (inbound SMTP, the HTTP inbound endpoint or a
 * Gmail sync), kept so a message delivered twice is stored once and so an
 * ignored one (auto-reply, bounce, loop) leaves a trace.
 */
export const inboundEmails = pgTable(
  "inbound_emails",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** The Message-ID header, or a hash of the raw message when it has none. */
    messageIdHeader: text().notNull(),
    /** smtp, http or gmail */
    source: text().notNull(),
    fromAddress: text().notNull(),
    subject: text(),
    conversationId: uuid().references(() => conversations.id, { onDelete: "set null" }),
    messageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    /** accepted, or why not: auto_reply, bounce, loop, unknown_sender, ... */
    outcome: text().notNull(),
    receivedAt: createdAt(),
  },
  (t) => [
    uniqueIndex("inbound_emails_message_id_idx").on(t.accountId, t.messageIdHeader),
    index().on(t.accountId, t.receivedAt.desc()),
  ],
);

/**
 * Something an agent is to be emailed about (a new conversation, a message in
 * a conversation assigned to them, a mention, a handoff from the assistant).
 * Alerts collect here and go out together in the agent's next email, so a
 * burst of messages makes one email, not one per message.
 */
export const emailAlerts = pgTable(
  "email_alerts",
  {
    id: id(),
    accountId: accountIdColumn(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** new_conversation, assigned_message, mention, handoff */
    kind: text().notNull(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid().references(() => messages.id, { onDelete: "cascade" }),
    /** What the alert is about (a message or conversation id): one alert per user, kind and source. */
    sourceKey: text().notNull(),
    /** The email that carried it; null while it waits. */
    outboundEmailId: uuid().references(() => outboundEmails.id, { onDelete: "set null" }),
    emailedAt: timestampMs(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("email_alerts_source_idx").on(t.userId, t.kind, t.sourceKey),
    index("email_alerts_pending_idx").on(t.userId, t.createdAt).where(sql`${t.emailedAt} is null`),
  ],
);

/**
 * Where a sweep that reads a growing table left off (e.g. the alert sweep's
 * last message seq), so a restart resumes instead of starting over.
 */
export const sweepCursors = pgTable("sweep_cursors", {
  name: text().primaryKey(),
  position: bigint({ mode: "number" }).notNull().default(0),
  /** Whatever else the sweep keeps (e.g. recent positions for an overlap window). */
  state: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: timestampMs().notNull().defaultNow(),
});

export const gmailConnectionStatusEnum = pgEnum("gmail_connection_status", [
  "active",
  /** Google refused the tokens (revoked, password changed): an admin must reconnect. */
  "reconnect_required",
]);

/**
 * A Gmail or Google Workspace mailbox connected to an inbox with OAuth
 * (`gmail.modify`). Tokens are encrypted with a key derived from
 * SECRET_KEY_BASE; `historyId` is where the incremental sync resumes.
 */
export const gmailConnections = pgTable(
  "gmail_connections",
  {
    id: id(),
    accountId: accountIdColumn(),
    inboxId: uuid()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    emailAddress: text().notNull(),
    accessTokenEncrypted: text(),
    refreshTokenEncrypted: text().notNull(),
    accessTokenExpiresAt: timestampMs(),
    scope: text(),
    /** The mailbox history id the last sync reached; null before the first sync. */
    historyId: text(),
    status: gmailConnectionStatusEnum().notNull().default("active"),
    lastError: text(),
    lastSyncedAt: timestampMs(),
    connectedById: text().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [uniqueIndex("gmail_connections_address_idx").on(t.accountId, t.emailAddress)],
);

/** The Gmail thread a conversation lives in, and what a reply must reference. */
export const gmailThreads = pgTable(
  "gmail_threads",
  {
    conversationId: uuid()
      .primaryKey()
      .references(() => conversations.id, { onDelete: "cascade" }),
    accountId: accountIdColumn(),
    connectionId: uuid()
      .notNull()
      .references(() => gmailConnections.id, { onDelete: "cascade" }),
    threadId: text().notNull(),
    /** Message-ID header of the newest message in the thread (In-Reply-To of a reply). */
    lastMessageIdHeader: text(),
    /** Every Message-ID of the thread, space-separated (References of a reply). */
    references: text().notNull().default(""),
    subject: text(),
  },
  (t) => [uniqueIndex("gmail_threads_thread_idx").on(t.connectionId, t.threadId)],
);

/** Every Gmail message a sync saw or a reply sent, so none is imported twice. */
export const gmailMessages = pgTable(
  "gmail_messages",
  {
    connectionId: uuid()
      .notNull()
      .references(() => gmailConnections.id, { onDelete: "cascade" }),
    gmailId: text().notNull(),
    accountId: accountIdColumn(),
    /** The Netia message it became or came from; null when skipped. */
    messageId: uuid().references(() => messages.id, { onDelete: "set null" }),
    /** in (imported), out (an agent's reply sent through Gmail), skipped */
    direction: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.gmailId] })],
);
