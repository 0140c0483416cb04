// The inbox in Chromium: the production build on a seeded Postgres database
// (10,000 conversations in the measured account, one of them 5,000 messages
// long), driven by playwright-core. Measures the time until the inbox answers
// a click, and frame times while scrolling 10,000 rows of the list and the
// whole long thread. Run from the repository root with `pnpm bench:inbox-ui`;
// see bench/README.md.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestRuntime } from "@netia/api/testing";
import { launchChromium } from "@netia/testkit/browser";
import pg from "pg";
import { scratchDatabase } from "../lib/database";
import { benchmarkRun, log } from "../lib/run";
import { seed } from "./seed";
import { type FrameStats, type LoadRun, measureInboxLoad, wheelScroll } from "./ui-measure";
import { startProductionServer } from "./ui-server";

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO_ROOT = resolve(BENCH_DIR, "..");
const WATCHDOG_MS = 30 * 60_000;
/** The conversation list's fixed row height (conversation-list.tsx). */
const LIST_ROW_PX = 84;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
}

const settings = {
  seed: {
    accounts: envInt("BENCH_UI_ACCOUNTS", 1),
    customersPerAccount: envInt("BENCH_UI_CONVERSATIONS", 10_000),
    conversationsPerAccount: envInt("BENCH_UI_CONVERSATIONS", 10_000),
    messagesPerConversation: 10,
  },
  threadMessages: envInt("BENCH_UI_THREAD_MESSAGES", 5_000),
  loads: envInt("BENCH_UI_LOADS", 7),
  listRows: envInt("BENCH_UI_LIST_ROWS", 10_000),
  viewport: { width: 1280, height: 800 },
  /** Wheel steps: pixels per event and the pause between events. */
  wheel: { listStep: 500, threadStep: -400, intervalMs: 12 },
};

const { cleanups, cleanup } = benchmarkRun(WATCHDOG_MS);

function fmtFrames(name: string, f: FrameStats): string {
  return `${name.padEnd(34)} ${String(f.frames).padStart(6)} ${f.medianMs.toFixed(1).padStart(7)} ${f.p99Ms.toFixed(1).padStart(7)} ${f.maxMs.toFixed(1).padStart(7)} ${String(f.over50Ms).padStart(6)}   ${(f.durationMs / 1000).toFixed(1)} s, ${f.rowsScrolled.toLocaleString("en")} rows`;
}

async function main(): Promise<void> {
  const date = new Date();
  const loadStart = loadavg();
  const scratch = await scratchDatabase("netia_bench_ui", 5, cleanups);
  log(`Netia inbox in Chromium, ${date.toISOString()}`);
  log(`database ${scratch.name} on 127.0.0.1:5432 (dropped at the end)`);
  const runtime = await createTestRuntime({ database: scratch.database });
  // Only the seed uses it. Its job queue's timers would keep the process alive;
  // the database goes with the pool's own cleanup.
  let stopped: Promise<void> | undefined;
  const stopBackgroundWork = () => {
    stopped ??= (async () => {
      await runtime.jobs.stop();
      await runtime.realtime.close();
    })();
    return stopped;
  };
  cleanups.push({ name: "stop the runtime's background work", run: stopBackgroundWork });
  cleanups.push({
    name: "remove the runtime's data folder",
    run: async () => {
      if (runtime.config.dataDir.startsWith(tmpdir())) {
        rmSync(runtime.config.dataDir, { recursive: true, force: true });
      }
    },
  });

  log(`\nSeeding (the inbox benchmark's seed, ${settings.seed.accounts} accounts)`);
  const seeded = await seed(runtime, scratch.url, settings.seed, log);
  const me = seeded.accounts[0];
  if (!me) throw new Error("no account was seeded");

  // Every conversation of the measured account open, so the default view lists
  // all 10,000; one of them (the newest) gets a 5,000-message thread.
  const sql = new pg.Client({ connectionString: scratch.url });
  await sql.connect();
  let threadId: string;
  try {
    await sql.query(
      `update conversations set status = 'open', closed_at = null, snoozed_until = null
       where account_id = $1`,
      [me.accountId],
    );
    const { rows } = await sql.query<{ id: string }>(
      `select id from conversations where account_id = $1
       order by last_activity_at desc, id desc limit 1`,
      [me.accountId],
    );
    threadId = rows[0]?.id ?? "";
    if (!threadId) throw new Error("the measured account has no conversation");
    const t0 = performance.now();
    await sql.query(
      `insert into messages (account_id, conversation_id, type, sender_type, user_id, customer_id, body, created_at)
       select c.account_id, c.id, 'reply',
              case when g % 2 = 0 then 'customer' else 'user' end::sender_type,
              case when g % 2 = 1 then $3::text end,
              case when g % 2 = 0 then c.customer_id end,
              case when g % 10 = 0 then 'A **longer** message, number ' || g || E':\n- with a list\n- and a [link](https://example.com/' || g || E')\n\n' || repeat(md5(g::text), 4)
                   else 'Message ' || g || ' ' || repeat(md5(g::text), 1 + g % 3) end,
              now() - interval '1 hour' + g * (interval '1 hour' / $2::int)
       from conversations c cross join generate_series(1, $2::int) g
       where c.id = $1
       order by g`,
      [threadId, settings.threadMessages, me.userId],
    );
    await sql.query(`update conversations set last_activity_at = now() where id = $1`, [threadId]);
    await sql.query("vacuum (analyze) messages");
    log(
      `  ${`one thread of ${settings.threadMessages.toLocaleString("en")} messages`.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s`,
    );
  } finally {
    await sql.end();
  }
  await stopBackgroundWork();
  await scratch.closePool();

  log("\nStarting the production server");
  const server = await startProductionServer(REPO_ROOT, scratch.url);
  cleanups.push({ name: "stop the server", run: server.stop });
  const browser = await launchChromium();
  cleanups.push({ name: "close Chromium", run: () => browser.close() });
  const context = await browser.newContext({ viewport: settings.viewport });
  context.setDefaultTimeout(60_000);

  // Sign in once; every load below is a returning agent (cookies and HTTP cache warm).
  const login = await context.newPage();
  await login.goto(`${server.url}/login`);
  await login.getByLabel("Email").fill(me.email);
  await login.getByLabel("Password", { exact: true }).fill(me.password);
  await login.getByTestId("login-submit").click();
  await login.waitForURL(/\/inbox$/);
  await login.locator('[data-testid="conversation-row"]').first().waitFor();
  await login.close();

  // (a) Navigation start to the list rendered and a click handled.
  log(`\n(a) Inbox load to a handled click (${settings.loads} loads after 1 warm-up)`);
  const loads: LoadRun[] = [];
  for (let i = 0; i <= settings.loads; i++) {
    const page = await context.newPage();
    const run = await measureInboxLoad(page, server.url);
    await page.close();
    if (i === 0) continue;
    loads.push(run);
    log(
      `  load ${i}: HTML ${Math.round(run.responseEndMs)} ms, DOMContentLoaded ${Math.round(run.domContentLoadedMs)} ms, last API answer ${Math.round(run.lastApiResponseMs)} ms, list ${Math.round(run.listRenderedMs)} ms, click handled ${Math.round(run.interactiveMs)} ms`,
    );
    for (const request of run.apiRequests) {
      log(`      ${request.startMs}–${request.endMs} ms  ${request.procedures}`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const loadSummary = {
    domContentLoadedMedianMs: Math.round(median(loads.map((l) => l.domContentLoadedMs))),
    lastApiResponseMedianMs: Math.round(median(loads.map((l) => l.lastApiResponseMs))),
    listRenderedMedianMs: Math.round(median(loads.map((l) => l.listRenderedMs))),
    interactiveMedianMs: Math.round(median(loads.map((l) => l.interactiveMs))),
  };

  // (b) Frame times while wheel-scrolling 10,000 rows of the list.
  const page = await context.newPage();
  await page.goto(`${server.url}/inbox`);
  const list = '[data-testid="conversation-list"]';
  await page.locator('[data-testid="conversation-row"]').first().waitFor();
  log(`\n(b) Scrolling ${settings.listRows.toLocaleString("en")} rows of the conversation list`);
  const listRowsScrolled = () =>
    page
      .locator(list)
      .evaluate((el, rowPx) => Math.floor((el.scrollTop + el.clientHeight) / rowPx), LIST_ROW_PX);
  // BENCH_UI_TRACE=<file>: a Chromium performance trace of this scroll, for
  // `pnpm bench:trace-summary <file>` (what the long frames spent their time on).
  const tracePath = process.env.BENCH_UI_TRACE;
  if (tracePath) {
    await browser.startTracing(page, {
      path: resolve(tracePath),
      categories: [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "v8",
        "v8.gc",
        "blink",
      ],
    });
  }
  const listFrames = await wheelScroll(page, {
    scroller: list,
    step: settings.wheel.listStep,
    intervalMs: settings.wheel.intervalMs,
    maxMs: 10 * 60_000,
    done: async () => (await listRowsScrolled()) >= settings.listRows,
    progress: listRowsScrolled,
  });
  if (tracePath) {
    await browser.stopTracing();
    log(`  trace written to ${resolve(tracePath)}`);
  }
  const listNodes = await page.locator('[data-testid="conversation-row"]').count();
  log(`  rows in the page at the end: ${listNodes}`);

  // (c) The same while scrolling the whole long thread, from the newest message up.
  log(`\n(c) Scrolling the ${settings.threadMessages.toLocaleString("en")}-message thread`);
  await page.goto(`${server.url}/inbox/${threadId}`);
  const thread = '[data-testid="message-list"]';
  await page.locator('[data-testid="message"]').first().waitFor();
  const loaded = () => page.locator('[data-testid="message"]').count();
  const messagesLoaded = () =>
    page.evaluate(
      () =>
        document.querySelectorAll('[data-testid="older-messages"] button').length === 0 &&
        (document.querySelector('[data-testid="message-list"]')?.scrollTop ?? 1) === 0,
    );
  const threadFrames = await wheelScroll(page, {
    scroller: thread,
    step: settings.wheel.threadStep,
    intervalMs: settings.wheel.intervalMs,
    maxMs: 10 * 60_000,
    done: messagesLoaded,
    progress: async () => ((await messagesLoaded()) ? settings.threadMessages : NaN),
  });
  const threadNodes = await loaded();
  const reachedStart = await messagesLoaded();
  log(`  messages in the page at the end: ${threadNodes}; reached the first: ${reachedStart}`);
  await page.close();

  log("\nResults");
  log(
    `  (a) inbox load, median of ${loads.length}: DOMContentLoaded ${loadSummary.domContentLoadedMedianMs} ms, last API answer ${loadSummary.lastApiResponseMedianMs} ms, list rendered ${loadSummary.listRenderedMedianMs} ms, click handled ${loadSummary.interactiveMedianMs} ms`,
  );
  log(`\n  ${"scroll".padEnd(34)} frames  median     p99     max  >50ms   (ms)`);
  log(`  ${fmtFrames("(b) conversation list", listFrames)}`);
  log(
    `  ${fmtFrames(`(c) ${settings.threadMessages.toLocaleString("en")}-message thread`, threadFrames)}`,
  );
  const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  log(`\nload average (1/5/15 min): ${fmtLoad(loadStart)} at start, ${fmtLoad(loadavg())} at end`);

  const resultsDir = join(BENCH_DIR, "results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `inbox-ui-${date.toISOString().slice(0, 10)}.json`);
  const report = {
    benchmark: "inbox-ui",
    date: date.toISOString(),
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: scratch.postgresVersion,
      chromium: browser.version(),
    },
    settings,
    seed: { counts: seeded.counts, totalMs: Math.round(seeded.totalMs) },
    inboxLoad: { runs: loads, ...loadSummary },
    listScroll: { ...listFrames, rowsInPageAtEnd: listNodes },
    threadScroll: { ...threadFrames, messagesInPageAtEnd: threadNodes, reachedStart },
    loadAverage: { start: loadStart, end: loadavg() },
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
