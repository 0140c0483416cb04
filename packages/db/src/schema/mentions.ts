// An @mention of a teammate in a reply or note: it feeds the mentions view and
// the mentioned agent's notifications.
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestampMs } from "./columns";
import { conversations, messages } from "./conversations";

export const mentions = pgTable(
  "mentions",
  {
    id: id(),
    accountId: accountIdColumn(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    messageId: uuid()
      .notNull()
      .references(() => messages.id, { onDelete: "cascade" }),
    /** The teammate mentioned. */
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Who wrote the mention; null once that user is deleted. */
    mentionedById: text().references(() => users.id, { onDelete: "set null" }),
    /** When the mentioned agent opened the conversation after the mention. */
    readAt: timestampMs(),
    createdAt: createdAt(),
  },
  (t) => [
    // One mention per teammate per message, however often the name is typed.
    uniqueIndex("mentions_message_user_idx").on(t.messageId, t.userId),
    // The mentions view: my mentions, newest first.
    index("mentions_user_idx").on(t.accountId, t.userId, t.createdAt.desc()),
    index().on(t.conversationId),
  ],
);
