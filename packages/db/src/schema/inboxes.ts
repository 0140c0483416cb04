import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { id, timestamps } from "./columns";

export const inboxes = pgTable(
  "inboxes",
  {
    id: id(),
    accountId: accountIdColumn(),
    name: text().notNull(),
    isDefault: boolean().notNull().default(false),
    /** When true, a visitor's identity counts only with a valid identityHash. */
    requireIdentityVerification: boolean().notNull().default(false),
    /** HMAC key the host's server uses to sign external ids (see the widget docs). */
    identitySecret: text().notNull(),
    /** The AI assistant answers in this inbox when it is also on for the account. */
    assistantEnabled: boolean().notNull().default(true),
    ...timestamps,
  },
  (t) => [index().on(t.accountId)],
);

/**
 * Widget options stored per inbox; the widget merges its own props over these.
 * The shape is validated in core (ZWidgetSettings) so new options need no migration.
 */
export const widgetSettings = pgTable(
  "widget_settings",
  {
    id: id(),
    accountId: accountIdColumn(),
    inboxId: uuid()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    settings: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [uniqueIndex().on(t.inboxId), index().on(t.accountId)],
);
