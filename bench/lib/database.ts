// The throwaway Postgres database every benchmark runs on: created, migrated,
// and dropped (pool closed first) by the run's cleanups, whatever ends it.
import { createDatabase, migrate } from "@netia/db";
import { createScratchDatabase } from "@netia/testkit/postgres";
import pg from "pg";
import type { Cleanup } from "./run";

export async function scratchDatabase(prefix: string, poolSize: number, cleanups: Cleanup[]) {
  const scratch = await createScratchDatabase(prefix);
  cleanups.push({ name: "drop the database", run: () => scratch.drop().then(() => {}) });
  const database = createDatabase({ kind: "postgres", url: scratch.url, ssl: false, poolSize });
  let poolClosed: Promise<void> | undefined;
  /** Closes the pool once (the benchmark may close it early; the cleanup then does nothing). */
  const closePool = () => {
    poolClosed ??= database.close();
    return poolClosed;
  };
  cleanups.push({ name: "close the pool", run: closePool });
  await migrate(database);
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  const { rows } = await client.query<{ v: string }>("select version() as v");
  await client.end();
  return {
    url: scratch.url,
    name: new URL(scratch.url).pathname.slice(1),
    database,
    closePool,
    /** "PostgreSQL 15.20 (Debian …)", without the build details. */
    postgresVersion: rows[0]?.v.split(" on ")[0] ?? "",
  };
}
