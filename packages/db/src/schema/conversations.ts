import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestampMs, timestamps } from "./columns";
import { customers } from "./customers";
import { inboxes } from "./inboxes";

export const conversationStatusEnum = pgEnum("conversation_status", ["open", "closed", "snoozed"]);
export const priorityEnum = pgEnum("conversation_priority", ["normal", "high"]);
export const channelEnum = pgEnum("conversation_channel", ["chat", "email", "slack", "api"]);
export const messageTypeEnum = pgEnum("message_type", ["reply", "note", "bot"]);
export const senderTypeEnum = pgEnum("sender_type", ["user", "customer", "bot"]);
/**
 * Who answers the customer: the AI assistant (while it is on for the inbox) or
 * people, once the conversation was handed off or an agent replied.
 */
export const answeredByEnum = pgEnum("answered_by", ["assistant", "people"]);

/**
 * The text search matches a message body by, in English (stemmed). The GIN
 * index on messages is on this exact expression; search builds its WHERE
 * clause from the same function so Postgres can use it.
 */
export const messageSearchVector = (body: AnyColumn | SQL) => sql`to_tsvector('english', ${body})`;

export const conversations = pgTable(
  "conversations",
  {
    id: id(),
    accountId: accountIdColumn(),
    inboxId: uuid()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    assigneeId: text().references(() => users.id, { onDelete: "set null" }),
    status: conversationStatusEnum().notNull().default("open"),
    priority: priorityEnum().notNull().default("normal"),
    channel: channelEnum().notNull().default("chat"),
    subject: text(),
    /** Agents' read state: false while a customer message awaits an agent's eyes. */
    read: boolean().notNull().default(true),
    firstRepliedAt: timestampMs(),
    closedAt: timestampMs(),
    snoozedUntil: timestampMs(),
    archivedAt: timestampMs(),
    lastActivityAt: timestampMs().notNull().defaultNow(),
    /**
     * Seq of the newest public message, kept under the row lock by every write
     * of a message: a visitor's stream knows from it whether a live message
     * directly follows the last one it delivered (docs/realtime.md).
     */
    lastPublicSeq: bigint({ mode: "number" }),
    answeredBy: answeredByEnum().notNull().default("assistant"),
    /** Why the conversation went to people: button, request, tool, keyword, ... */
    handoffReason: text(),
    handedOffAt: timestampMs(),
    ...timestamps,
  },
  (t) => [
    // Inbox views list newest activity first, keyset-paginated on (last_activity_at, id).
    index("conversations_view_idx").on(t.accountId, t.status, t.lastActivityAt.desc(), t.id.desc()),
    index("conversations_assignee_idx").on(
      t.accountId,
      t.assigneeId,
      t.status,
      t.lastActivityAt.desc(),
      t.id.desc(),
    ),
    index("conversations_inbox_idx").on(
      t.accountId,
      t.inboxId,
      t.status,
      t.lastActivityAt.desc(),
      t.id.desc(),
    ),
    index("conversations_priority_idx")
      .on(t.accountId, t.status, t.lastActivityAt.desc(), t.id.desc())
      .where(sql`${t.priority} = 'high'`),
    index().on(t.customerId, t.lastActivityAt.desc()),
    // The snooze sweep finds conversations whose wake time has passed.
    index("conversations_snooze_sweep_idx").on(t.snoozedUntil).where(sql`${t.status} = 'snoozed'`),
    // Reports count conversations created in a date range.
    index("conversations_created_idx").on(t.accountId, t.createdAt),
    index("conversations_handoff_idx")
      .on(t.accountId, t.handedOffAt.desc())
      .where(sql`${t.handedOffAt} is not null`),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    /** Commit-order position, used as the cursor for paging and realtime resume. */
    seq: bigint({ mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    accountId: accountIdColumn(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    type: messageTypeEnum().notNull().default("reply"),
    senderType: senderTypeEnum().notNull(),
    userId: text().references(() => users.id, { onDelete: "set null" }),
    customerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    body: text().notNull(),
    /** Private notes are seen by agents only. */
    private: boolean().notNull().default(false),
    /** Set by the sender so a retried send is stored once. */
    clientMessageId: text(),
    seenAt: timestampMs(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_seq_idx").on(t.seq),
    index("messages_conversation_idx").on(t.conversationId, t.seq),
    index("messages_account_idx").on(t.accountId, t.seq),
    // Reports count messages sent and received in a date range. The migration
    // adds INCLUDE (sender_type, private, user_id, conversation_id), which
    // drizzle cannot declare: the reports then read the index alone, never the
    // heap, where one account's messages lie among every other's.
    index("messages_created_idx").on(t.accountId, t.createdAt),
    index("messages_search_idx").using("gin", messageSearchVector(t.body)),
    uniqueIndex("messages_client_id_idx")
      .on(t.conversationId, t.clientMessageId)
      .where(sql`${t.clientMessageId} is not null`),
    // A customer's first message has no conversation yet: its retry is found by sender.
    index("messages_customer_client_id_idx")
      .on(t.customerId, t.clientMessageId)
      .where(sql`${t.clientMessageId} is not null`),
  ],
);
