// The people who write in through the widget (or email, Slack...), their companies and notes.
import { type AnyColumn, sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { users } from "./auth";
import { createdAt, id, timestampMs, timestamps } from "./columns";
import { inboxes } from "./inboxes";

/**
 * The text search matches a company by: its name and website. The GIN index
 * below is on this exact expression, so search (packages/core/src/search.ts)
 * builds its WHERE clause from the same function. 'simple': names are not
 * English words to stem.
 */
export const companySearchVector = (t: { name: AnyColumn; website: AnyColumn }) =>
  sql`to_tsvector('simple', ${t.name} || ' ' || coalesce(translate(${t.website}, '/:.', '   '), ''))`;

/**
 * The text search matches a customer by: name, email (whole and split at "@"
 * and ".", so "jane" finds jane@example.com) and external id.
 */
export const customerSearchVector = (t: {
  name: AnyColumn;
  email: AnyColumn;
  externalId: AnyColumn;
}) =>
  sql`to_tsvector('simple', coalesce(${t.name}, '') || ' ' || coalesce(${t.email}, '') || ' ' || coalesce(translate(${t.email}, '@.', '  '), '') || ' ' || coalesce(${t.externalId}, ''))`;

export const companies = pgTable(
  "companies",
  {
    id: id(),
    accountId: accountIdColumn(),
    name: text().notNull(),
    website: text(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    index().on(t.accountId, t.name),
    index("companies_search_idx").using("gin", companySearchVector(t)),
  ],
);

export const customers = pgTable(
  "customers",
  {
    id: id(),
    accountId: accountIdColumn(),
    /** The host application's id for this person, set by `identify`. */
    externalId: text(),
    /**
     * Whether `externalId` was proven with the inbox's identity hash. Verified and
     * unverified identities are separate customers: a claim without a valid hash
     * never reaches a verified customer (docs/security.md).
     */
    verified: boolean().notNull().default(false),
    /** Anonymous widget visitor id (from the browser's storage) this customer started as. */
    visitorId: text(),
    email: text(),
    /** Set by the unsubscribe link of an email: no more conversation emails to this customer. */
    emailUnsubscribedAt: timestampMs(),
    name: text(),
    phone: text(),
    companyId: uuid().references(() => companies.id, { onDelete: "set null" }),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    // Browser context, refreshed whenever the widget reconnects.
    currentUrl: text(),
    host: text(),
    pathname: text(),
    referrer: text(),
    browser: text(),
    os: text(),
    screen: text(),
    timeZone: text(),
    language: text(),
    lastSeenAt: timestampMs(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("customers_external_id_idx")
      .on(t.accountId, t.externalId, t.verified)
      .where(sql`${t.externalId} is not null`),
    uniqueIndex("customers_visitor_id_idx")
      .on(t.accountId, t.visitorId)
      .where(sql`${t.visitorId} is not null`),
    index("customers_email_idx").on(t.accountId, sql`lower(${t.email})`),
    index().on(t.accountId, t.createdAt),
    index("customers_search_idx").using("gin", customerSearchVector(t)),
    // A company's page lists its customers.
    index().on(t.companyId),
  ],
);

export const customerNotes = pgTable(
  "customer_notes",
  {
    id: id(),
    accountId: accountIdColumn(),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    authorId: text().references(() => users.id, { onDelete: "set null" }),
    body: text().notNull(),
    ...timestamps,
  },
  (t) => [index().on(t.customerId, t.createdAt)],
);

/**
 * A widget visitor's session: the bearer token the widget sends is stored only
 * as its SHA-256, and it is bound to one customer of one account.
 */
export const widgetSessions = pgTable(
  "widget_sessions",
  {
    id: id(),
    accountId: accountIdColumn(),
    inboxId: uuid()
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    customerId: uuid()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    /** Whether the identity was proven with a valid identityHash. */
    verified: boolean().notNull().default(false),
    expiresAt: timestampMs().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.customerId)],
);
