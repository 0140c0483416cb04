// One code path, two databases: Postgres through `pg` when DATABASE_URL is set,
// otherwise embedded PGlite in the data folder (one connection, one process).
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { Config } from "@netia/config";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import * as schema from "./schema/index";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  kind: "postgres" | "pglite";
  db: Db;
  /** Runs raw SQL (several statements allowed) in one transaction; used by rollback and tooling. */
  execInTransaction(sql: string): Promise<void>;
  /** Runs `fn` while holding a Postgres advisory lock, so concurrent processes take turns. */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

export type DatabaseOptions = Config["database"] | { kind: "pglite-instance"; client: PGlite };

export function createDatabase(options: DatabaseOptions): Database {
  if (options.kind === "postgres")
    return createPostgres(options.url, options.ssl, options.poolSize);
  if (options.kind === "pglite") {
    mkdirSync(options.dir, { recursive: true });
    return createPglite(new PGlite(options.dir));
  }
  return createPglite(options.client);
}

/** `sslmode` is stripped from the URL so that `pg` takes the ssl option below as given. */
function poolConfig(url: string, ssl: boolean, max: number): pg.PoolConfig {
  const parsed = new URL(url);
  parsed.searchParams.delete("sslmode");
  return {
    connectionString: parsed.toString(),
    max,
    // Managed Postgres (Railway, Heroku) presents certificates Node cannot verify
    // without the provider's CA; the connection is still encrypted.
    ssl: ssl ? { rejectUnauthorized: false } : undefined,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  };
}

function createPostgres(url: string, ssl: boolean, poolSize: number): Database {
  const pool = new pg.Pool(poolConfig(url, ssl, poolSize));
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    kind: "postgres",
    db,
    async execInTransaction(sql) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        await client.query(sql);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [key]);
        try {
          return await fn();
        } finally {
          await client.query("select pg_advisory_unlock($1)", [key]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      try {
        await pool.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await pool.end();
    },
  };
}

function createPglite(client: PGlite): Database {
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    async execInTransaction(sql) {
      await client.transaction(async (tx) => {
        await tx.exec(sql);
      });
    },
    // PGlite is a single connection owned by this process: nothing can race it.
    withLock: (_key, fn) => fn(),
    async ping() {
      try {
        await client.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}
