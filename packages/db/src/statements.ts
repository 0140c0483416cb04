// Statements written in SQL for the hottest paths (sending a message), run
// without the query builder: on Postgres each is prepared once per pooled
// connection, so neither drizzle nor Postgres parses and plans it again on
// every call. Everything else goes through drizzle.
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import pg from "pg";
import type { Db } from "./client";

/** A SQL text with positional parameters ($1, $2, …) and a name unique to it. */
export type Statement = { readonly name: string; readonly text: string };

export function statement(name: string, text: string): Statement {
  return { name, text: text.replace(/\s+/g, " ").trim() };
}

/**
 * Runs `s` with `values` and returns its rows as the driver parsed them (bigint
 * columns may come back as strings, timestamps as Date or text: map them).
 * On the root database it uses the driver directly; inside a transaction it
 * goes through drizzle so it joins the transaction.
 */
export async function runStatement<Row>(
  db: Db,
  s: Statement,
  values: readonly unknown[],
): Promise<Row[]> {
  const client = (db as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) {
    const result = await client.query({ name: s.name, text: s.text, values: [...values] });
    return result.rows as Row[];
  }
  if (client instanceof PGlite) {
    return (await client.query<Row>(s.text, [...values])).rows;
  }
  const result = (await db.execute(withParams(s.text, values))) as unknown as { rows: Row[] };
  return result.rows;
}

/** The statement as drizzle SQL, each `$n` replaced by its value as a parameter. */
function withParams(text: string, values: readonly unknown[]): SQL {
  const chunks: SQL[] = [];
  let from = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= values.length) throw new Error(`no value for $${match[1]}`);
    chunks.push(sql.raw(text.slice(from, match.index)), sql`${values[index]}`);
    from = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(from)));
  return sql.join(chunks);
}
