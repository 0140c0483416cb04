// The `netia` command: database migrations, demo data, a jobs-only worker and
// secrets.
// Run it as `pnpm netia <command>` from the repository, or through
// docker-entrypoint.sh in the container image.
import { type Config, generateSecret, loadConfig } from "@netia/config";
import {
  createDatabase,
  type Database,
  migrate,
  migrationStatus,
  migrationsFolder,
  rollback,
} from "@netia/db";
import { EXIT_UNREACHABLE, problemsOf, unreachable } from "./src/lib/server/startup-errors";

const HELP = `Usage: netia <command>

Commands:
  db migrate    Apply every pending migration (safe while other nodes boot).
  db rollback   Revert the newest applied migration with its down script.
  db status     List migrations and whether each one is applied.
  db seed       Apply migrations, then add a demo account with sample
                conversations (does nothing if the demo account exists).
  worker        Run background jobs only, no web server, until SIGTERM or
                Ctrl-C (running jobs finish or go back to the queue). For
                deployments that run jobs apart: set RUN_JOBS=false on the
                web nodes. The server runs jobs itself by default.
  secret        Print a new random SECRET_KEY_BASE (64 bytes).
  billing exempt <account id or member email>
                Make an account unlimited and never billed (docs/billing.md).
  billing unexempt <account id or member email>
                Bill the account again like any other.
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
    import("@netia/runtime"),
    import("@netia/core"),
  ]);
  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config)}`);
  // Seeding runs no jobs: whatever it enqueues waits for the server or a worker.
  const runtime = await createRuntime({ config, migrate: true, jobs: { work: false } });
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

async function worker(): Promise<void> {
  const { createRuntime, closeRuntime } = await import("@netia/runtime");
  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config)}`);
  if (config.database.kind === "pglite") {
    throw new UsageError(
      "a worker needs DATABASE_URL: the embedded database belongs to the one server process, which runs the jobs itself",
    );
  }
  const runtime = await createRuntime({ config, jobs: { work: true }, listenForMail: true });
  console.log("Worker running background jobs; stop it with SIGTERM or Ctrl-C");
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  console.log("Stopping: running jobs finish or go back to the queue");
  await closeRuntime(runtime);
}

/** An operator's exemption from billing; recorded even while billing is off, for when it is on. */
async function billingExempt(target: string, exempt: boolean) {
  const { isAppError, setBillingExempt } = await import("@netia/core");
  await withDatabase(async (database, config) => {
    try {
      const trialDays = config.stripe?.trialDays ?? 14;
      const account = await setBillingExempt(database.db, { trialDays }, target, exempt);
      console.log(
        `${account.companyName} (${account.accountId}) is ${exempt ? "now exempt from billing: unlimited, never billed" : "billed again like any other account"}.`,
      );
      if (!config.stripe)
        console.log("Billing is off on this server: every account is unlimited anyway.");
    } catch (error) {
      if (isAppError(error)) throw new UsageError(error.message);
      throw error;
    }
  });
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
  if (command === "billing") {
    const [target, extra] = rest;
    if (sub !== "exempt" && sub !== "unexempt") {
      throw new UsageError("`netia billing` needs a command: exempt or unexempt");
    }
    if (!target)
      throw new UsageError(`\`netia billing ${sub}\` needs an account id or a member's email`);
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    return billingExempt(target, sub === "exempt");
  }
  if (command === "worker") {
    if (sub !== undefined) throw new UsageError(`unexpected argument "${sub}"`);
    return worker();
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

try {
  await main(process.argv.slice(2));
  process.exit(0);
} catch (error) {
  for (const problem of problemsOf(error)) console.error(`ERROR ${problem}`);
  process.exit(unreachable(error) ? EXIT_UNREACHABLE : 1);
}
