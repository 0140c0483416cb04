// How pg-boss reaches the database in each mode. On Postgres it keeps a small
// pool of its own on the same database (one connection stays on LISTEN, and
// its own transactions pin a connection). On PGlite there is one connection
// for the whole process, so pg-boss shares the instance the app uses: PGlite
// runs one statement or transaction at a time, and pg-boss sends each of its
// transactions as a single multi-statement block, so nothing interleaves.
import type { PGlite } from "@electric-sql/pglite";
import type { Database, Db, Tx } from "@netia/db";
import { sql } from "drizzle-orm";
import type pg from "pg";
import { type Db as BossDb, type ConstructorOptions, fromDrizzle, fromPglite } from "pg-boss";

/** pg-boss's share of connections on Postgres: the listener, polling, and its own writes. */
const BOSS_POOL_SIZE = 4;

export function bossConnection(database: Database): ConstructorOptions {
  // drizzle exposes the driver it was built on as `$client`.
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === "pglite") {
    return { backend: "pglite", db: fromPglite(client as PGlite) };
  }
  const { connectionString, ssl } = (client as pg.Pool).options;
  return { backend: "postgres", connectionString, ssl, max: BOSS_POOL_SIZE };
}

const starting = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `start` after any other queue's start on the same PGlite instance. Two
 * pg-boss instances installing the schema at once rely on the loser's
 * statement failing on a connection of its own; PGlite has one session, which
 * the failure would leave in an aborted transaction. Postgres needs no help:
 * pg-boss installs under an advisory lock there.
 */
export function afterOtherStarts<T>(database: Database, start: () => Promise<T>): Promise<T> {
  if (database.kind !== "pglite") return start();
  const client = (database.db as unknown as { $client: object }).$client;
  const previous = starting.get(client) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(start);
  starting.set(client, next);
  return next;
}

/**
 * pg-boss statements run on `runner`: inside a drizzle transaction, a job
 * commits or rolls back with the transaction's other writes.
 */
export const executorFor = (runner: Db | Tx): BossDb =>
  // Our Db types execute()'s result as unknown; at run time it is the driver's { rows }.
  fromDrizzle(runner as unknown as Parameters<typeof fromDrizzle>[0], sql);
