// The inbox benchmark: a throwaway Postgres database with 100k conversations and
// 1M messages, the inbox procedures timed through real tRPC callers, and the
// cold start of the production server on an empty embedded database.
// Run from the repository root with `pnpm bench:inbox`; see bench/README.md.
import type { ChildProcess } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestRuntime } from "@netia/api/testing";
import type { Runtime } from "@netia/runtime";
import pg from "pg";
import { scratchDatabase } from "../lib/database";
import { benchmarkRun, log } from "../lib/run";
import { type ColdStartResult, coldStart, embeddedStartup, stop } from "./cold-start";
import { type CapturedQuery, captureQueries, explain, type Stats, stats, time } from "./measure";
import {
  cases,
  searchTerms,
  seedCompanies,
  TARGETS_MS,
  type TimedCase,
  timeCase,
} from "./reports-search";
import { mix, type SeedOptions, seed } from "./seed";

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = resolve(BENCH_DIR, "..");
/** The whole run stops (and cleans up) after this long, whatever happens. */
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MINUTES || 20) * 60_000;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

const settings = {
  seed: {
    accounts: envInt("BENCH_ACCOUNTS", 10),
    customersPerAccount: envInt("BENCH_CUSTOMERS_PER_ACCOUNT", 10_000),
    conversationsPerAccount: envInt("BENCH_CONVERSATIONS_PER_ACCOUNT", 10_000),
    messagesPerConversation: envInt("BENCH_MESSAGES_PER_CONVERSATION", 10),
  } satisfies SeedOptions,
  iterations: envInt("BENCH_ITERATIONS", 1000),
  warmup: envInt("BENCH_WARMUP", 100),
  deepPages: envInt("BENCH_DEEP_PAGES", 200),
  pageSize: 25,
  messagesLimit: 50,
  coldStartRuns: envInt("BENCH_COLD_START_RUNS", 3),
  /** Search and report calls are slower than list calls: fewer of them keep the run short. */
  searchReportIterations: envInt("BENCH_REPORT_ITERATIONS", 200),
  searchReportWarmup: envInt("BENCH_REPORT_WARMUP", 20),
  companies: envInt("BENCH_COMPANIES", 1000),
};

const { cleanups, cleanup } = benchmarkRun(WATCHDOG_MS);

type Measurement = {
  name: string;
  input: Record<string, unknown>;
  page?: number;
  stats: Stats;
  statementsPerCall?: number;
};

type ListResult = { items: unknown[]; nextCursor: string | null };

/** Follows nextCursor up to `maxPages` pages; returns the deepest page that has a next one. */
async function deepCursor(
  list: (cursor: string | undefined) => Promise<ListResult>,
  maxPages: number,
): Promise<{ page: number; cursor: string | undefined }> {
  let cursor: string | undefined;
  let deepest: { page: number; cursor: string | undefined } = { page: 1, cursor: undefined };
  for (let page = 1; page <= maxPages; page++) {
    const result = await list(cursor);
    if (!result.nextCursor) break;
    deepest = { page, cursor };
    cursor = result.nextCursor;
  }
  return deepest;
}

/** The statement of a captured call that reads the conversation list. */
function listStatement(queries: CapturedQuery[]): CapturedQuery {
  const found = queries.find(
    (q) => /from "conversations"/i.test(q.text) && /order by/i.test(q.text),
  );
  if (!found) {
    throw new Error(
      `the list statement was not captured (saw ${queries.length} statements); is \`pg\` shared with @netia/db?`,
    );
  }
  return found;
}

/**
 * The statement with its ORDER BY spelled as the inbox indexes are declared
 * (DESC NULLS LAST). Plain DESC means NULLS FIRST in Postgres, and an index
 * only provides the order when both match.
 */
function inIndexOrder(q: CapturedQuery): CapturedQuery | null {
  const re =
    /order by ("conversations"\."last_activity_at") desc, ("conversations"\."id") desc(?! nulls)/i;
  if (!re.test(q.text)) return null;
  return { ...q, text: q.text.replace(re, "order by $1 desc nulls last, $2 desc nulls last") };
}

function table(rows: Measurement[]): string {
  const head = ["measurement", "iters", "median", "p95", "p99", "max"];
  const body = rows.map((r) => [
    r.name,
    String(r.stats.iterations),
    r.stats.medianMs.toFixed(2),
    r.stats.p95Ms.toFixed(2),
    r.stats.p99Ms.toFixed(2),
    r.stats.maxMs.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ");
  return [
    `${line(head)}   (ms)`,
    widths.map((w) => "-".repeat(w)).join("  "),
    ...body.map(line),
  ].join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  const date = new Date();
  // Other processes on the machine show up in the tail latencies; record how busy it was.
  const loadStart = loadavg();
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres: "",
  };

  // 1. A throwaway database, migrated.
  const scratch = await scratchDatabase("netia_bench", 10, cleanups);
  const { database, closePool } = scratch;
  machine.postgres = scratch.postgresVersion;
  log(`Netia inbox benchmark, ${date.toISOString()}`);
  log(`database ${scratch.name} on 127.0.0.1:5432 (dropped at the end)`);

  const runtime: Runtime = await createTestRuntime({ database });
  cleanups.push({
    name: "remove the runtime's data folder",
    run: async () => {
      // testConfig() made a temporary data folder; nothing of it is needed.
      if (runtime.config.dataDir.startsWith(tmpdir())) {
        rmSync(runtime.config.dataDir, { recursive: true, force: true });
      }
    },
  });

  // 2. Seed.
  const s = settings.seed;
  log(
    `\nSeeding ${s.accounts} accounts x ${s.conversationsPerAccount.toLocaleString("en")} conversations x ${s.messagesPerConversation} messages`,
  );
  const seeded = await seed(runtime, scratch.url, s, log);
  log(`  ${"total".padEnd(34)} ${(seeded.totalMs / 1000).toFixed(1).padStart(6)} s`);
  log(
    `  rows: ${Object.entries(seeded.counts)
      .map(([t, n]) => `${t} ${n.toLocaleString("en")}`)
      .join(", ")}`,
  );

  // 3. Timed procedures, as the first account's admin.
  const me = seeded.accounts[0];
  if (!me) throw new Error("no account was seeded");
  const { admin } = me;
  const opts = { warmup: settings.warmup, iterations: settings.iterations };
  const limit = settings.pageSize;
  const measurements: Measurement[] = [];
  const explains: {
    name: string;
    sql: string;
    params: unknown[];
    executionMs: number;
    plan: string;
    /** The same statement ordered as the inbox indexes are, for comparison. */
    inIndexOrder: { executionMs: number; plan: string } | null;
  }[] = [];
  log(
    `\nTiming tRPC callers (${opts.warmup} warm-up + ${opts.iterations} timed calls each, one at a time)`,
  );

  const listCase = async (
    label: string,
    base: { view: "all" | "mine"; tagId?: string },
    { deep = false } = {},
  ) => {
    let page = 1;
    let cursor: string | undefined;
    if (deep) {
      ({ page, cursor } = await deepCursor(
        (c) => admin.conversations.list({ ...base, limit, cursor: c }),
        settings.deepPages,
      ));
    }
    const name = deep ? `${label}, page ${page}` : label;
    const input = { ...base, limit, ...(cursor ? { cursor } : {}) };
    const { result, queries } = await captureQueries(() => admin.conversations.list(input));
    if (deep && result.items.length < limit) throw new Error(`${name}: page ${page} is not full`);
    const latency = await time(() => admin.conversations.list(input), opts);
    measurements.push({ name, input, page, stats: latency, statementsPerCall: queries.length });
    log(`  ${name}: median ${latency.medianMs.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms`);
    const statement = listStatement(queries);
    const reordered = inIndexOrder(statement);
    explains.push({
      name,
      sql: statement.text,
      params: statement.values,
      ...(await explain(scratch.url, statement)),
      inIndexOrder: reordered && (await explain(scratch.url, reordered)),
    });
  };

  {
    // The floor under every agent call: session cookie, membership, one small query.
    const name = "inboxes.list (floor: auth + 1 small query)";
    const { queries } = await captureQueries(() => admin.inboxes.list());
    const latency = await time(() => admin.inboxes.list(), opts);
    measurements.push({ name, input: {}, stats: latency, statementsPerCall: queries.length });
    log(`  ${name}: median ${latency.medianMs.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms`);
  }
  await listCase("conversations.list first page (all)", { view: "all" });
  await listCase("conversations.list deep page (all)", { view: "all" }, { deep: true });
  await listCase(
    "conversations.list deep page (all + tagId)",
    { view: "all", tagId: me.tagId },
    { deep: true },
  );
  await listCase("conversations.list deep page (mine)", { view: "mine" }, { deep: true });

  {
    const sql = new pg.Client({ connectionString: scratch.url });
    await sql.connect();
    const { rows } = await sql.query<{ id: string }>(
      "select id from conversations where account_id = $1 order by random() limit $2",
      [me.accountId, opts.warmup + Math.min(opts.iterations, 5000)],
    );
    await sql.end();
    const ids = rows.map((r) => r.id);
    const input = (i: number) => ({
      conversationId: ids[i % ids.length] ?? "",
      limit: settings.messagesLimit,
    });
    const { queries } = await captureQueries(() => admin.messages.list(input(0)));
    const latency = await time((i) => admin.messages.list(input(i)), opts);
    const name = "messages.list (random conversations)";
    measurements.push({
      name,
      input: { conversationId: "<random of the account>", limit: settings.messagesLimit },
      stats: latency,
      statementsPerCall: queries.length,
    });
    log(`  ${name}: median ${latency.medianMs.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms`);
  }

  // Search and reports, as the same admin.
  log(`\nSeeding ${settings.companies} companies for the first account (company search)`);
  await seedCompanies(scratch.url, me.accountId, settings.companies);
  const words = await searchTerms(scratch.url, me.accountId);
  const slowOpts = {
    warmup: settings.searchReportWarmup,
    iterations: settings.searchReportIterations,
  };
  log(
    `Timing search and reports (${slowOpts.warmup} warm-up + ${slowOpts.iterations} timed calls each)`,
  );
  const timed: TimedCase[] = [];
  for (const c of cases(admin, words)) {
    const result = await timeCase(scratch.url, c, c.call, slowOpts);
    timed.push(result);
    measurements.push({
      name: result.name,
      input: result.input,
      stats: result.stats,
      statementsPerCall: result.statementsPerCall,
    });
    const target = TARGETS_MS[result.kind];
    log(
      `  ${result.name}: median ${result.stats.medianMs.toFixed(2)} ms, p99 ${result.stats.p99Ms.toFixed(2)} ms (target ${target}), slowest statement ${result.slowest?.executionMs.toFixed(2) ?? "?"} ms`,
    );
  }

  await closePool();

  // 4. Cold start of the production server on an empty embedded database.
  log(`\nCold start to healthy (${settings.coldStartRuns} runs, empty embedded database)`);
  let running: ChildProcess | null = null;
  cleanups.push({
    name: "stop the server",
    run: async () => {
      if (running) await stop(running);
    },
  });
  const cold: ColdStartResult = await coldStart(REPO_ROOT, settings.coldStartRuns, log, (c) => {
    running = c;
  });
  if (cold.skipped) log(`  skipped: ${cold.reason}`);
  else log(`  median ${cold.medianMs} ms`);
  const embedded = await embeddedStartup(settings.coldStartRuns);
  const embeddedOpenMs = stats(embedded.openMs).medianMs;
  const embeddedMigrateMs = stats(embedded.migrateMs).medianMs;
  log(
    `  the embedded database alone (in process, median): open a new PGlite ${embeddedOpenMs} ms, migrate ${embeddedMigrateMs} ms`,
  );

  // Report.
  log(`\nResults (server time around each tRPC caller invocation)\n`);
  log(table(measurements));
  for (const e of explains) {
    log(`\nEXPLAIN (ANALYZE, BUFFERS): ${e.name}`);
    log(e.plan);
  }
  log("\nSQL execution time of the list statement (EXPLAIN ANALYZE, median of 5)");
  for (const e of explains) {
    const alt = e.inIndexOrder
      ? `; ordered DESC NULLS LAST like the indexes: ${e.inIndexOrder.executionMs.toFixed(2)} ms`
      : "";
    log(`  ${e.name}: ${e.executionMs.toFixed(2)} ms as run${alt}`);
  }
  // The plans worth reading: the slowest search, the slowest report, and any case over its target.
  const slowestOf = (kind: TimedCase["kind"]) =>
    timed.filter((t) => t.kind === kind).sort((a, b) => b.stats.p99Ms - a.stats.p99Ms)[0];
  const worth = new Set(
    [
      slowestOf("search"),
      slowestOf("report"),
      ...timed.filter((t) => t.stats.p99Ms >= TARGETS_MS[t.kind]),
    ].filter((t): t is TimedCase => t !== undefined),
  );
  for (const t of worth) {
    log(`\nEXPLAIN (ANALYZE, BUFFERS): ${t.name}, its slowest statement`);
    log(
      t.slowest
        ? `${t.slowest.sql}\n${JSON.stringify(t.slowest.params)}\n${t.slowest.plan}`
        : "(none captured)",
    );
  }
  log("\nSearch and reports against their targets (p99)");
  for (const t of timed) {
    const target = TARGETS_MS[t.kind];
    log(
      `  ${t.stats.p99Ms < target ? "pass" : "FAIL"}  ${t.name}: p99 ${t.stats.p99Ms.toFixed(2)} ms < ${target} ms; SQL of its slowest statement ${t.slowest?.executionMs.toFixed(2) ?? "?"} ms`,
    );
  }
  log(
    `\nseed ${(seeded.totalMs / 1000).toFixed(1)} s; cold start ${cold.skipped ? "skipped" : `${cold.medianMs} ms (median)`}`,
  );
  const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  log(`load average (1/5/15 min): ${fmtLoad(loadStart)} at start, ${fmtLoad(loadavg())} at end`);
  log(
    `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, ${machine.postgres}, Node ${machine.node}`,
  );

  const resultsDir = join(BENCH_DIR, "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `inbox-${date.toISOString().slice(0, 10)}.json`);
  const report = {
    benchmark: "inbox",
    date: date.toISOString(),
    machine,
    settings,
    mix,
    seed: {
      totalMs: Math.round(seeded.totalMs),
      steps: seeded.steps.map((x) => ({ step: x.step, ms: Math.round(x.ms) })),
      counts: seeded.counts,
    },
    measurements,
    explains,
    searchAndReports: timed.map(({ name, kind, input, stats: s, statementsPerCall, slowest }) => ({
      name,
      kind,
      targetP99Ms: TARGETS_MS[kind],
      input,
      stats: s,
      statementsPerCall,
      slowest,
    })),
    coldStart: cold,
    embeddedStartup: {
      ...embedded,
      openMedianMs: embeddedOpenMs,
      migrateMedianMs: embeddedMigrateMs,
    },
    loadAverage: { start: loadStart, end: loadavg() },
    runMs: Math.round(performance.now() - started),
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`\nwritten to ${relative(REPO_ROOT, file)}`);
}

try {
  await main();
  await cleanup();
} catch (error) {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  await cleanup();
  process.exitCode = 1;
}
