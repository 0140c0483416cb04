import { sql } from "drizzle-orm";
import { index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestamps } from "./columns";
import { conversations } from "./conversations";
import { customers } from "./customers";

export const tags = pgTable(
  "tags",
  {
    id: id(),
    accountId: accountIdColumn(),
    name: text().notNull(),
    color: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("tags_name_idx").on(t.accountId, sql`lower(${t.name})`)],
);

export const conversationTags = pgTable(
  "conversation_tags",
  {
    accountId: accountIdColumn(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    tagId: uuid()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.tagId] }),
    index().on(t.tagId, t.conversationId),
  ],
);

export const customerTags = pgTable(
  "customer_tags",
  {
    accountId: accountIdColumn(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    tagId: uuid()
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.tagId] }), index().on(t.tagId, t.customerId)],
);

/** Canned answers agents insert with "/" in the composer. */
export const savedReplies = pgTable(
  "saved_replies",
  {
    id: id(),
    accountId: accountIdColumn(),
    shortcut: text().notNull(),
    body: text().notNull(),
    createdById: text().references(() => users.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [uniqueIndex("saved_replies_shortcut_idx").on(t.accountId, sql`lower(${t.shortcut})`)],
);
