// Throwaway Postgres databases on the local server for test runs. A leaf
// module: it imports nothing from the workspace, so any package's tests can
// use it without a dependency cycle.
import pg from "pg";

export const adminUrl =
  process.env.NETIA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function postgresReachable(url = adminUrl): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database and returns its URL and a function that drops it: empty,
 * or a copy of `template` (the name of a database nobody is connected to).
 */
export async function createScratchDatabase(prefix = "netia_test", template?: string) {
  const name = `${prefix}_${Date.now()}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  await withAdmin((c) =>
    c.query(`create database "${name}"${template ? ` template "${template}"` : ""}`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`)),
  };
}
