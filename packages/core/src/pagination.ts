// Keyset cursors: opaque to clients, a (timestamp, id) pair inside. The API
// parses a cursor at the edge (a malformed one is a 400); core functions take
// the parsed Keyset.
import { isStorableDate } from "./input";

export type Keyset = { at: Date; id: string };

export function encodeCursor({ at, id }: Keyset): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The keyset inside a cursor, or null when it is not one Netia could have made. */
export function parseCursor(cursor: string): Keyset | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof at !== "string" || typeof id !== "string" || !UUID.test(id)) return null;
    const date = new Date(at);
    // Exactly what encodeCursor writes, in the years Postgres stores.
    if (!isStorableDate(date) || date.toISOString() !== at) return null;
    return { at: date, id };
  } catch {
    return null;
  }
}

/** Fetch one row more than asked to learn whether another page exists. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
