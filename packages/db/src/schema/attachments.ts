// Files sent with messages, stored in Postgres so that a pg_dump backup is
// complete and every node serves them. (Object storage can come later behind
// the same functions.) The bytes live in chunks of a few hundred KiB, written
// and read one at a time: a 10 MB file never passes through one query, which
// on the embedded database would hold up the server's only thread.
import { customType, index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
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
    /** Null until a message carries it; uploads left unlinked expire (see core/attachments.ts). */
    messageId: uuid().references(() => messages.id, { onDelete: "cascade" }),
    uploadedByCustomerId: uuid().references(() => customers.id, { onDelete: "set null" }),
    uploadedByUserId: text().references(() => users.id, { onDelete: "set null" }),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    /** Random secret in the download URL: whoever has the message has the file. */
    downloadKey: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.messageId), index().on(t.accountId, t.createdAt)],
);

/** An attachment's bytes, in order of `seq` (0, 1, ...). */
export const attachmentChunks = pgTable(
  "attachment_chunks",
  {
    attachmentId: uuid()
      .notNull()
      .references(() => attachments.id, { onDelete: "cascade" }),
    seq: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.attachmentId, t.seq] })],
);
