// The `netia` command: database migrations, demo data and secrets.
// Run it as `pnpm netia <command>` from the repository, or through
// docker-entrypoint.sh in the container image.
import { type Config, ConfigError, generateSecret, loadConfig } from "@netia/config";
import {
  createDatabase,
  type Database,
  migrate,
  migrationStatus,
  migrationsFolder,
  rollback,
} from "@netia/db";

const HELP = `Usage: netia <command>

Commands:
  db migrate    Apply every pending migration (safe while other nodes boot).
  db rollback   Revert the newest applied migration with its down script.
  db status     List migrations and whether each one is applied.
  db seed       Apply migrations, then add a demo account with sample
                conversations (does nothing if the demo account exists).
  secret        Print a new random SECRET_KEY_BASE (64 bytes).
  help          Show this help.

The database is DATABASE_URL when set, otherwise the embedded database in
NETIA_DATA_DIR/db. Stop the server before changing the embedded database:
it is a single-process database.

Exit status: 0 on success, 3 when the database cannot be reached, 1 otherwise.`;

/** Thrown for mistakes the user can fix; printed as one ERROR line. */
class UsageError extends Error {}

function describeDatabase(config: Config): string {
  if (config.database.kind === "pglite") return `embedded database in ${config.database.dir}`;
  const url = new URL(config.database.url);
  const port = url.port || "5432";
  const ssl = config.database.ssl ? ", SSL" : "";
  return `Postgres at ${url.hostname}:${port}${url.pathname}${ssl}`;
}

/** Opens the configured database, runs `fn`, and always closes it. */
async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>) {
  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config)}`);
  const database = createDatabase(config.database);
  try {
    // Fail here, with the driver's reason, rather than on the first query.
    await database.db.execute("select 1");
    return await fn(database, config);
  } finally {
    await database.close().catch(() => {});
  }
}

function newest(status: { tag: string; applied: boolean }[]): string | null {
  return status.filter((m) => m.applied).at(-1)?.tag ?? null;
}

function position(tag: string | null): string {
  return tag ? `database is at ${tag}` : "no migrations are applied";
}

async function dbMigrate(): Promise<void> {
  await withDatabase(async (database) => {
    const before = await migrationStatus(database);
    await migrate(database);
    const after = await migrationStatus(database);
    const applied = after.filter(
      (m) => m.applied && !before.find((b) => b.tag === m.tag && b.applied),
    );
    if (applied.length === 0) {
      console.log(`Nothing to apply: ${position(newest(after))}`);
      return;
    }
    for (const m of applied) console.log(`  applied ${m.tag}`);
    console.log(`Applied migrations: ${position(newest(after))}`);
  });
}

async function dbRollback(): Promise<void> {
  await withDatabase(async (database) => {
    const tag = await rollback(database);
    if (!tag) {
      console.log("Nothing to roll back: no migrations are applied");
      return;
    }
    const after = await migrationStatus(database);
    console.log(`Rolled back ${tag}: ${position(newest(after))}`);
  });
}

async function dbStatus(): Promise<void> {
  await withDatabase(async (database) => {
    const status = await migrationStatus(database);
    console.log(`Migrations in ${migrationsFolder}:`);
    for (const m of status) console.log(`  ${m.applied ? "applied" : "pending"}  ${m.tag}`);
    const pending = status.filter((m) => !m.applied).length;
    console.log(
      pending === 0
        ? `Up to date: ${position(newest(status))}`
        : `${pending} pending: ${position(newest(status))}; run \`netia db migrate\``,
    );
  });
}

async function dbSeed(): Promise<void> {
  // Loaded on demand: the other commands need neither auth nor the domain code.
  const [{ createRuntime, closeRuntime }, { seedDemo, DEMO_ADMIN }] = await Promise.all([
    import("@netia/api/runtime"),
    import("@netia/core"),
  ]);
  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config)}`);
  const runtime = await createRuntime({ config, migrate: true });
  try {
    const result = await seedDemo(runtime);
    if (result.created) {
      console.log("Seeded demo data: one account, three customers and their conversations");
      console.log(`Sign in at ${config.appUrl}/login`);
      console.log(`  email:    ${result.email}`);
      console.log(`  password: ${DEMO_ADMIN.password}`);
    } else {
      console.log(`Demo data already present (${result.email}); nothing to do`);
    }
  } finally {
    await closeRuntime(runtime).catch(() => {});
  }
}

async function main(args: string[]): Promise<void> {
  const [command, sub, ...rest] = args;
  if (command === "db") {
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    switch (sub) {
      case "migrate":
        return dbMigrate();
      case "rollback":
        return dbRollback();
      case "status":
        return dbStatus();
      case "seed":
        return dbSeed();
      case undefined:
        throw new UsageError("`netia db` needs a command: migrate, rollback, status or seed");
      default:
        throw new UsageError(`unknown command "db ${sub}"; run \`netia help\``);
    }
  }
  if (command === "secret") {
    if (sub !== undefined) throw new UsageError(`unexpected argument "${sub}"`);
    console.log(generateSecret());
    return;
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    console.log(HELP);
    return;
  }
  throw new UsageError(`unknown command "${command}"; run \`netia help\``);
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

/** One line per problem, no stack trace: these reach operators, not developers. */
function problemsOf(error: unknown): string[] {
  if (error instanceof ConfigError) return error.problems;
  if (error instanceof AggregateError && error.errors.length > 0) {
    return problemsOf(error.errors[0]);
  }
  // drizzle wraps driver errors ("Failed query: ..."); the driver's reason is the useful part.
  if (error instanceof Error && error.cause instanceof Error) return problemsOf(error.cause);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (UNREACHABLE_CODES.has(String(code))) {
      return [`cannot reach the database (${code}): check DATABASE_URL and that Postgres is up`];
    }
    const message = (error.message || error.name).split("\n")[0] as string;
    if (/ssl|certificate/i.test(message)) {
      return [`${message}: check REQUIRE_DB_SSL and sslmode in DATABASE_URL`];
    }
    return [message];
  }
  return [String(error)];
}

/** Exit code when the database cannot be reached: docker-entrypoint.sh waits and retries. */
const EXIT_UNREACHABLE = 3;

function unreachable(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(unreachable);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return UNREACHABLE_CODES.has(String(code)) || unreachable(error.cause);
}

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  for (const problem of problemsOf(error)) console.error(`ERROR ${problem}`);
  process.exit(unreachable(error) ? EXIT_UNREACHABLE : 1);
}
