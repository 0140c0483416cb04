import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Config, loadConfig } from "@netia/config";
import { createDatabase, type Database, migrate } from "@netia/db";
import { createScratchDatabase } from "./postgres";

export { createScratchDatabase, postgresReachable } from "./postgres";
export { type PrivateRedis, redisReachable, startPrivateRedis, testRedisUrl } from "./redis";

/**
 * The migrated database of this test run: the run's Postgres database when one
 * is reachable, else a private PGlite instance loaded from the run's snapshot.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.NETIA_TEST_DATABASE_URL;
  if (url) return createDatabase({ kind: "postgres", url, ssl: false, poolSize: 5 });
  const snapshot = process.env.NETIA_TEST_PGLITE_SNAPSHOT;
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
  if (!process.env.NETIA_TEST_DATABASE_URL) {
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
  process.env.NETIA_TEST_DATABASE_URL ? ("postgres" as const) : ("pglite" as const);

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), "netia-data-")),
    SECRET_KEY_BASE: "test-secret-".padEnd(64, "x"),
    LOG_LEVEL: "silent",
    // Tests sign up many accounts on one database; registration.test.ts checks the other modes.
    NETIA_REGISTRATION: "open",
    ...overrides,
  });
}
