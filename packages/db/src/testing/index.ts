// Test-only (exported under the "netia-test" condition alone). The database a
// test runs against: the run's shared migrated database (see
// global-setup.ts), or an empty one of its own.
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { createScratchDatabase } from "@netia/testkit/postgres";
import { createDatabase, type Database } from "../client";
import { migrate } from "../migrate";

/** Set per test file (file-database.ts): the file's own migrated Postgres database. */
export const TEST_DATABASE_URL_ENV = "NETIA_TEST_DATABASE_URL";
/** Set by the global setup: the migrated Postgres database each file's is copied from. */
export const TEST_TEMPLATE_URL_ENV = "NETIA_TEST_TEMPLATE_URL";
/** Set by the global setup without Postgres: the migrated PGlite snapshot each test loads. */
export const TEST_PGLITE_SNAPSHOT_ENV = "NETIA_TEST_PGLITE_SNAPSHOT";

/**
 * The migrated database of this test file: its own Postgres database when one
 * is reachable (every runtime of the file shares it, as nodes of one
 * deployment do), else a private PGlite instance loaded from the run's snapshot.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env[TEST_DATABASE_URL_ENV];
  if (url) return createDatabase({ kind: "postgres", url, ssl: false, poolSize: 5 });
  const snapshot = process.env[TEST_PGLITE_SNAPSHOT_ENV];
  if (!snapshot) throw new Error("the test global setup did not run (see vitest.config.ts)");
  const client = new PGlite({ loadDataDir: new Blob([readFileSync(snapshot)]) });
  await client.waitReady;
  return createDatabase({ kind: "pglite-instance", client });
}

/**
 * A migrated database of its own with no rows, as on a fresh install (the
 * run's shared database already holds other tests' accounts). `dispose`
 * closes it and drops it.
 */
export async function openEmptyDatabase(): Promise<{
  database: Database;
  dispose(): Promise<void>;
}> {
  if (!process.env[TEST_DATABASE_URL_ENV]) {
    const database = createDatabase({ kind: "pglite-instance", client: new PGlite() });
    await migrate(database);
    return { database, dispose: () => database.close() };
  }
  const scratch = await createScratchDatabase();
  const database = createDatabase({ kind: "postgres", url: scratch.url, ssl: false, poolSize: 4 });
  await migrate(database);
  return {
    database,
    async dispose() {
      await database.close();
      await scratch.drop();
    },
  };
}

/** Which database the suite runs on, for test names and skips that must be explicit. */
export const testDatabaseKind = () =>
  process.env[TEST_DATABASE_URL_ENV] ? ("postgres" as const) : ("pglite" as const);
