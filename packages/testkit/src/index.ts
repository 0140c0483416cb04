import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type Config, loadConfig } from "@netia/config";
import { createDatabase, type Database } from "@netia/db";

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

/** Which database the suite runs on, for test names and skips that must be explicit. */
export const testDatabaseKind = () =>
  process.env.NETIA_TEST_DATABASE_URL ? ("postgres" as const) : ("pglite" as const);

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: "test",
    NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), "netia-data-")),
    SECRET_KEY_BASE: "test-secret-".padEnd(64, "x"),
    LOG_LEVEL: "silent",
    ...overrides,
  });
}
