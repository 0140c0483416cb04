import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { createScratchDatabase, postgresReachable } from "@netia/testkit/postgres";
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

/**
 * Every column as "table.column" and every index as "index:name": what a
 * migration changes, tables or not (a migration may add indexes only).
 */
async function columns(database: Database): Promise<string[]> {
  const result = (await database.db.execute(
    `select table_name || '.' || column_name as c from information_schema.columns where table_schema = 'public'
     union all
     select 'index:' || indexname from pg_indexes where schemaname = 'public'
     order by 1`,
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

  // Down one: what the newest migration changed is undone, and it applies again
  // onto what its down script left.
  const newest = (await migrationStatus(database)).at(-1)?.tag;
  expect(await rollback(database)).toBe(newest);
  expect((await migrationStatus(database)).at(-1)?.applied).toBe(false);
  const afterOne = await columns(database);
  expect(afterOne).not.toEqual(allColumns);
  expect(await tables(database)).toEqual(expect.arrayContaining(["accounts", "messages"]));
  await migrate(database);
  expect(await columns(database)).toEqual(allColumns);
  expect(await rollback(database)).toBe(newest);
  expect(await columns(database)).toEqual(afterOne);
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
  // A new PGlite instance runs initdb in WebAssembly before three migration
  // passes: on a busy 2-core machine that alone can take half a minute.
  it("go up from empty, down one, and up again", { timeout: 120_000 }, async () => {
    const database = createDatabase({ kind: "pglite-instance", client: new PGlite() });
    try {
      await upDownUp(database);
    } finally {
      await database.close();
    }
  });
});

/** Reverts migrations newest first until `tag` is reverted too; false if it never was applied. */
async function rollbackThrough(database: Database, tag: string): Promise<boolean> {
  for (;;) {
    const reverted = await rollback(database);
    if (reverted === tag) return true;
    if (!reverted) return false;
  }
}

describe("0004_attachment_chunks", () => {
  it("moves stored files into chunks and back without losing a byte", async () => {
    const database = createDatabase({ kind: "pglite-instance", client: new PGlite() });
    const sql = (text: string) =>
      database.db.execute(text) as unknown as Promise<{ rows: Record<string, unknown>[] }>;
    try {
      await migrate(database);
      expect(await rollbackThrough(database, "0004_attachment_chunks")).toBe(true);
      // A file stored before chunks: 300 KiB of a repeating pattern, more than one chunk.
      await sql(
        `insert into accounts (id, company_name) values ('00000000-0000-0000-0000-000000000001', 'A')`,
      );
      await sql(`insert into attachments (id, account_id, filename, content_type, size, download_key, data)
        values ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-000000000001',
          'a.txt', 'text/plain', 307200, 'k',
          decode(repeat('0123456789abcdef', 19200), 'hex') || decode(repeat('fedcba9876543210', 19200), 'hex'))`);
      const before = await sql(`select md5(data) as h from attachments`);

      await migrate(database);
      const chunks = await sql(`select seq, length(data) as n from attachment_chunks order by seq`);
      expect(chunks.rows).toEqual([
        { seq: 0, n: 262144 },
        { seq: 1, n: 307200 - 262144 },
      ]);
      const joined = await sql(
        `select md5(string_agg(data, ''::bytea order by seq)) as h from attachment_chunks`,
      );
      expect(joined.rows).toEqual(before.rows);

      await rollbackThrough(database, "0004_attachment_chunks");
      expect((await sql(`select md5(data) as h from attachments`)).rows).toEqual(before.rows);
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
