// Shared column helpers so every table spells ids and timestamps the same way.
// Timestamps keep millisecond precision: JavaScript dates round-trip exactly,
// which keyset pagination cursors rely on.
import { timestamp, uuid } from "drizzle-orm/pg-core";

export const id = () => uuid().primaryKey().defaultRandom();

export const timestampMs = () => timestamp({ withTimezone: true, precision: 3 });

export const createdAt = () => timestampMs().notNull().defaultNow();

export const timestamps = {
  createdAt: createdAt(),
  updatedAt: timestampMs()
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};
