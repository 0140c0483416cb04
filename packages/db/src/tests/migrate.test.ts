import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { createScratchDatabase, postgresReachable } from "@netia/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../client";
import { migrate, migrationStatus, migrationsFolder, rollback } from "../migrate";

const run = promisify(execFile);

async function tables(database: Database): Promise<string[]> {
  const result = (await database.db.execute(
    "select table_name from information_schema.tables where table_schema = 'public' order by 1",
  )) as unknown as { rows: { table_name: string }[] };
  return result.rows.map((r) => r.table_name);
}

/** Every column as "table.column": what a migration changes, tables or not. */
async function columns(database: Database): Promise<string[]> {
  const result = (await database.db.execute(
    "select table_name || '.' || column_name as c from information_schema.columns where table_schema = 'public' order by 1",
  )) as unknown as { rows: { c: string }[] };
  return result.rows.map((r) => r.c);
}

it("has a reviewed down script for every migration", () => {
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8"));
  for (const { tag } of journal.entries as { tag: string }[]) {
    expect(existsSync(join(migrationsFolder, "down", `${tag}.sql`)), tag).toBe(true);
  }
});

async function upDownUp(database: Database) {
  await migrate(database);
  const all = await tables(database);
  const allColumns = await columns(database);
  expect(all).toEqual(expect.arrayContaining(["accounts", "conversations", "messages", "users"]));
  expect((await migrationStatus(database)).every((m) => m.applied)).toBe(true);

  // Down one: only what the newest migration added goes.
  const newest = (await migrationStatus(database)).at(-1)?.tag;
  expect(await rollback(database)).toBe(newest);
  expect((await migrationStatus(database)).at(-1)?.applied).toBe(false);
  const afterOne = await columns(database);
  expect(afterOne.length).toBeLessThan(allColumns.length);
  expect(allColumns).toEqual(expect.arrayContaining(afterOne));
  expect(await tables(database)).toEqual(expect.arrayContaining(["accounts", "messages"]));
  // Down all the way: every down script together leaves nothing behind.
  while (await rollback(database)) {}
  expect(await tables(database)).toEqual([]);
  expect((await migrationStatus(database)).some((m) => m.applied)).toBe(false);

  await migrate(database);
  expect(await columns(database)).toEqual(allColumns);
  // Migrating an up-to-date database changes nothing.
  await migrate(database);
  expect(await columns(database)).toEqual(allColumns);
}

describe("migrations on PGlite", () => {
  it("go up from empty, down one, and up again", async () => {
    const database = createDatabase({ kind: "pglite-instance", client: new PGlite() });
    try {
      await upDownUp(database);
    } finally {
      await database.close();
    }
  });
});

describe.runIf(await postgresReachable())("migrations on Postgres", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  beforeAll(async () => {
    scratch = await createScratchDatabase("netia_migrate");
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  it("go up from empty, down one, and up again", async () => {
    const database = createDatabase({
      kind: "postgres",
      url: scratch.url,
      ssl: false,
      poolSize: 2,
    });
    try {
      await upDownUp(database);
    } finally {
      await database.close();
    }
  });

  it("let two processes migrate one empty database at once", async () => {
    const empty = await createScratchDatabase("netia_race");
    try {
      const child = join(import.meta.dirname, "migrate-child.ts");
      const both = await Promise.all(
        [1, 2].map(() => run(process.execPath, ["--import", "tsx", child, empty.url])),
      );
      expect(both.map((r) => r.stdout.trim())).toEqual(["migrated", "migrated"]);
      const database = createDatabase({
        kind: "postgres",
        url: empty.url,
        ssl: false,
        poolSize: 1,
      });
      expect((await migrationStatus(database)).every((m) => m.applied)).toBe(true);
      await database.close();
    } finally {
      await empty.drop();
    }
  });
});
