// Outbound webhooks: the URLs an account's admins subscribed to events, and
// one delivery per endpoint and event (its payload, its Standard Webhooks id,
// every attempt's outcome). Deliveries run as jobs with backoff; an endpoint
// that keeps failing is switched off. docs/webhooks.md tells the whole story.
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { accountIdColumn } from "./accounts";
import { createdAt, id, timestampMs, timestamps } from "./columns";

/**
 * A URL that receives an account's events. The signing secret (`whsec_...`)
 * is encrypted with a key derived from SECRET_KEY_BASE
 * (packages/core/src/token-crypto.ts).
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    accountId: accountIdColumn(),
    url: text().notNull(),
    description: text().notNull().default(""),
    /** The event types sent here (docs/webhooks.md lists them). */
    eventTypes: text().array().notNull().default(sql`'{}'::text[]`),
    secretEncrypted: text().notNull(),
    enabled: boolean().notNull().default(true),
    /** When it was switched off, and why (an admin, or sustained failure). */
    disabledAt: timestampMs(),
    disabledReason: text(),
    /** Deliveries that failed for good in a row; a success sets it back to 0. */
    failureStreak: integer().notNull().default(0),
    /** The first of those failures: the endpoint is switched off when the streak is long and old. */
    failingSince: timestampMs(),
    ...timestamps,
  },
  (t) => [index("webhook_endpoints_account_idx").on(t.accountId)],
);

export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", [
  /** Waiting for its first attempt or a retry. */
  "pending",
  "delivered",
  /** Every retry failed (or the endpoint was switched off meanwhile). */
  "failed",
]);

/**
 * One event for one endpoint. `webhookId` is the Standard Webhooks
 * `webhook-id` (`msg_...`): the same on every attempt and on a manual
 * redelivery, so receivers can drop repeats.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    accountId: accountIdColumn(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The event (`evt_...`) this delivery carries; one delivery per endpoint and event. */
    eventId: text().notNull(),
    eventType: text().notNull(),
    webhookId: text().notNull(),
    /** The JSON body sent, exactly as signed. */
    payload: jsonb().notNull(),
    status: webhookDeliveryStatusEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** The last attempt: its HTTP status (null: no answer), the start of its answer, its duration. */
    lastStatusCode: integer(),
    lastResponseExcerpt: text(),
    lastError: text(),
    lastDurationMs: integer(),
    lastAttemptAt: timestampMs(),
    nextAttemptAt: timestampMs(),
    deliveredAt: timestampMs(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_idx").on(t.endpointId, t.eventId),
    // The log pages newest first per endpoint.
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt.desc(), t.id.desc()),
    index("webhook_deliveries_account_idx").on(t.accountId),
    // The retention sweep removes settled deliveries by age.
    index("webhook_deliveries_created_idx").on(t.createdAt),
  ],
);
