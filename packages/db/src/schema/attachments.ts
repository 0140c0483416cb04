// Files sent with messages, stored in Postgres so that a pg_dump backup is
// complete and every node serves them. (Object storage can come later behind
// the same functions.)
import { customType, index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id } from "./columns";
import { messages } from "./conversations";
import { customers } from "./customers";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  // pg returns a Buffer, PGlite a Uint8Array: hand out Buffers either way.
  fromDriver: (value) => Buffer.from(value),
});

export const attachments = pgTable(
  "attachments",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** Null until a message carries it; unlinked uploads can be swept. */
    messageId: uuid().references(() => messages.id, { onDelete: "cascade" }),
    uploadedByCustomerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    uploadedByUserId: text().references(() => users.id, { onDelete: "set null" }),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    /** Random secret in the download URL: whoever has the message has the file. */
    downloadKey: text().notNull(),
    data: bytea().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.messageId), index().on(t.accountId, t.createdAt)],
);
