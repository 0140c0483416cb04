// Runs once per `vitest run`: prepares the database every test file starts from.
// With a reachable Postgres: a fresh migrated database, dropped at the end,
// that each test file copies into a database of its own (file-database.ts).
// Without one: a migrated PGlite snapshot that each test file loads (fast),
// unless CI=true, where a missing Postgres is a failure, never a silent skip.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { adminUrl, createScratchDatabase, postgresReachable } from "@netia/testkit/postgres";
import { createDatabase } from "../client";
import { migrate } from "../migrate";
import { TEST_PGLITE_SNAPSHOT_ENV, TEST_TEMPLATE_URL_ENV } from "./index";

export default async function setup() {
  if (await postgresReachable()) {
    const scratch = await createScratchDatabase();
    const database = createDatabase({
      kind: "postgres",
      url: scratch.url,
      ssl: false,
      poolSize: 2,
    });
    await migrate(database);
    await database.close();
    // Nobody connects to it from now on: CREATE DATABASE … TEMPLATE needs that.
    process.env[TEST_TEMPLATE_URL_ENV] = scratch.url;
    console.log(`[netia tests] database: Postgres (${new URL(scratch.url).pathname.slice(1)})`);
    return async () => {
      await scratch.drop();
    };
  }
  if (process.env.CI === "true") {
    throw new Error(`Postgres is not reachable at ${adminUrl}; CI requires it`);
  }
  console.log(`[netia tests] Postgres not reachable at ${adminUrl}; database tests run on PGlite`);
  const dir = mkdtempSync(join(tmpdir(), "netia-pglite-"));
  const client = new PGlite();
  await migrate(createDatabase({ kind: "pglite-instance", client }));
  const snapshot = join(dir, "snapshot.tar.gz");
  writeFileSync(snapshot, Buffer.from(await (await client.dumpDataDir("gzip")).arrayBuffer()));
  await client.close();
  process.env[TEST_PGLITE_SNAPSHOT_ENV] = snapshot;
  return () => rmSync(dir, { recursive: true, force: true });
}
