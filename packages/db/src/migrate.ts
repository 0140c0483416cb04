// Migrations: drizzle-kit writes the up SQL into drizzle/; each one has a
// reviewed down script in drizzle/down/<tag>.sql, since drizzle has none.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { Database } from "./client";

/** Any constant shared by all Netia processes; "netia" in ASCII. */
const MIGRATION_LOCK = 0x6e65746961;

const MIGRATIONS_TABLE = `"drizzle"."__drizzle_migrations"`;

export const migrationsFolder =
  process.env.NETIA_MIGRATIONS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), "../drizzle");

type JournalEntry = { idx: number; when: number; tag: string };

function journal(): JournalEntry[] {
  const raw = readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8");
  return (JSON.parse(raw) as { entries: JournalEntry[] }).entries;
}

/** Applies every pending migration; safe to call from several processes at once. */
export async function migrate(database: Database): Promise<void> {
  await database.withLock(MIGRATION_LOCK, async () => {
    if (database.kind === "postgres") {
      // biome-ignore lint/suspicious/noExplicitAny: both migrators accept any drizzle pg database
      await migratePg(database.db as any, { migrationsFolder });
    } else {
      // biome-ignore lint/suspicious/noExplicitAny: see above
      await migratePglite(database.db as any, { migrationsFolder });
    }
  });
}

async function appliedTimestamps(database: Database): Promise<number[]> {
  const result = (await database.db.execute(
    `select created_at from ${MIGRATIONS_TABLE} order by created_at`,
  )) as unknown as { rows: { created_at: string | number }[] };
  return result.rows.map((r) => Number(r.created_at));
}

export type MigrationStatus = { tag: string; applied: boolean }[];

export async function migrationStatus(database: Database): Promise<MigrationStatus> {
  let applied: number[] = [];
  try {
    applied = await appliedTimestamps(database);
  } catch {
    // No migrations table yet: nothing applied.
  }
  return journal().map((e) => ({ tag: e.tag, applied: applied.includes(e.when) }));
}

/** Reverts the newest applied migration with its down script; returns its tag, or null. */
export async function rollback(database: Database): Promise<string | null> {
  return database.withLock(MIGRATION_LOCK, async () => {
    let applied: number[];
    try {
      applied = await appliedTimestamps(database);
    } catch {
      return null;
    }
    const last = applied.at(-1);
    if (last === undefined) return null;
    const entry = journal().find((e) => e.when === last);
    if (!entry) throw new Error(`the newest applied migration (${last}) is not in this build`);
    const down = readFileSync(join(migrationsFolder, "down", `${entry.tag}.sql`), "utf8");
    await database.execInTransaction(
      `${down}\ndelete from ${MIGRATIONS_TABLE} where created_at = ${last};`,
    );
    return entry.tag;
  });
}
