// Keyset cursors: opaque to clients, a (timestamp, id) pair inside.
import { AppError } from "./errors";

export type Keyset = { at: Date; id: string };

export function encodeCursor({ at, id }: Keyset): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): Keyset {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const date = new Date(String(at));
    if (typeof id !== "string" || !UUID.test(id) || Number.isNaN(date.getTime())) throw 0;
    return { at: date, id };
  } catch {
    throw new AppError("BAD_REQUEST", "Invalid cursor");
  }
}

/** Fetch one row more than asked to learn whether another page exists. */
export function page<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
