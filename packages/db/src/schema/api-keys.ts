// API keys: how a server or script calls Netia as one member of an account.
// The secret is shown once and stored as its SHA-256 (it is high-entropy and
// random, so a plain hash is enough); the visible prefix finds the row.
import { index, pgTable, text } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestampMs } from "./columns";

/** What a key may do: read, write (replies, tags, notes...), admin (account-level actions). */
export type ApiKeyScope = "read" | "write" | "admin";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** The member the key acts as, with at most that member's role. */
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text().notNull(),
    /** The key's first characters ("netia_live_1a2b3c4d"): shown in lists, used for the lookup. */
    prefix: text().notNull().unique(),
    /** SHA-256 (hex) of the whole secret. */
    secretHash: text().notNull(),
    scopes: text().array().$type<ApiKeyScope[]>().notNull(),
    expiresAt: timestampMs(),
    /** Updated at most once a minute. */
    lastUsedAt: timestampMs(),
    revokedAt: timestampMs(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.accountId, t.userId)],
);
