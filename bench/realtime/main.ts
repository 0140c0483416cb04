// The realtime benchmark: message delivery from customers to agents at fixed
// rates (one Netia node; two Netia nodes relaying through Redis), and the
// memory and CPU of 10,000 idle widget connections on one node, each next to a
// minimal Socket.IO server doing the same work (and, for connections, a bare
// `ws` server). Run from the repository root with `pnpm bench:realtime`; see
// bench/README.md.
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestRuntime, newVisitor, signUpAccount, testConfig } from "@netia/api/testing";
import type { Runtime } from "@netia/runtime";
import pg from "pg";
import { freePort, SHARED_SECRET } from "../../apps/web/src/e2e/nodes";
import { scratchDatabase } from "../lib/database";
import { benchmarkRun, log } from "../lib/run";
import {
  type Customer,
  DeliveryRun,
  netiaTransport,
  P99_TARGET_MS,
  type Scene,
  type StepResult,
  socketIoTransport,
  type Transport,
  trpcFloorTransport,
  type WalMeter,
} from "./delivery";
import type { IdleTarget } from "./idle-clients";
import { type Child, type ProcessStats, spawnChild } from "./ipc";
import { openFilesLimit } from "./machine";
import type { ProfileSummary } from "./profile";

const REALTIME_DIR = dirname(fileURLToPath(import.meta.url));
const BENCH_DIR = resolve(REALTIME_DIR, "..");
const REPO_ROOT = resolve(BENCH_DIR, "..");
const APP_DIR = join(REPO_ROOT, "apps/web");
/** The whole run stops (and cleans up) after this long, whatever happens. */
const WATCHDOG_MS = 45 * 60_000;

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}`);
  return n;
}
function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const list = raw.split(",").map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${name} must be a comma-separated list of positive integers`);
  }
  return list;
}

const settings = {
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  delivery: {
    customers: envInt("BENCH_CUSTOMERS", 50),
    agents: envInt("BENCH_AGENTS", 5),
    rates: envList("BENCH_RATES", [25, 50, 100, 200, 400, 800, 1600]),
    stepMs: envInt("BENCH_STEP_SECONDS", 10) * 1000,
    warmupMs: 3000,
    warmupRate: 50,
    drainMs: 5000,
    /** Each rate is run this many times per system (alternating which goes first); the median round counts. */
    rounds: envInt("BENCH_ROUNDS", 3),
    /** Which node counts to run: 1 (in-process bus), 2 (two nodes relaying through Redis). */
    nodes: envList("BENCH_NODES", [1, 2]).filter((n): n is 1 | 2 => n === 1 || n === 2),
    /**
     * Also run the tRPC floor beside the one-node pair (trpc-floor-node.ts),
     * alone and sharing its process with Next.js: what the transport costs
     * before any of Netia's own work. BENCH_FLOOR=0 leaves it out.
     */
    floor: envInt("BENCH_FLOOR", 1, 0) > 0,
  },
  connections: {
    /** 0 skips the connections part. */
    total: envInt("BENCH_CONNECTIONS", 10_000, 0),
    clientProcesses: envInt("BENCH_CLIENT_PROCESSES", 4),
    /** Connections each client process opens at once. */
    concurrency: 50,
    warmup: 100,
    settleMs: 3000,
  },
  /** Netia nodes: the database pool size (the default of a deployment). */
  poolSize: 10,
  /** Profile each system after its measured steps (CPU while messages flow, heap per connection). */
  profile: process.env.BENCH_PROFILE !== "0",
  profileRate: envInt("BENCH_PROFILE_RATE", 50),
  /** Which pair is profiled (its first node: the one-node server, or the customers' node A). */
  profileNodes: envInt("BENCH_PROFILE_NODES", 1),
  profileMs: 5000,
  profileConnections: 2000,
};

const RESULTS_DIR = join(BENCH_DIR, "results");
const DATE = new Date();
const profileFile = (name: string, ext: string) =>
  join(RESULTS_DIR, `realtime-${DATE.toISOString().slice(0, 10)}-${name}.${ext}`);
const profiles: Record<string, ProfileSummary> = {};
const sqlOfOneMessage: Record<string, string[]> = {};

function logProfile(title: string, p: ProfileSummary, unit: "ms" | "bytes", per = 1, top = 12) {
  const v = (x: number) =>
    unit === "ms" ? `${(x / per).toFixed(2)} ms` : `${Math.round(x / per).toLocaleString("en")} B`;
  log(`  ${title}: ${v(p.total)} in all (raw profile: ${relative(REPO_ROOT, p.file)})`);
  log("    by package or area:");
  for (const r of p.byArea.slice(0, top))
    log(`      ${String(r.share).padStart(5)} %  ${v(r.value).padStart(12)}  ${r.name}`);
  log("    Netia's own functions, inclusive:");
  for (const r of p.netiaInclusive.slice(0, top))
    log(`      ${String(r.share).padStart(5)} %  ${v(r.value).padStart(12)}  ${r.name}`);
  log("    functions, self:");
  for (const r of p.bySelf.slice(0, top))
    log(`      ${String(r.share).padStart(5)} %  ${v(r.value).padStart(12)}  ${r.name}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { cleanups, cleanup } = benchmarkRun(WATCHDOG_MS);

/** Every child process this run started, stopped at the end if still running. */
const children = new Set<Child>();
cleanups.push({
  name: "stop child processes",
  run: async () => {
    await Promise.all([...children].map((c) => c.stop(5000)));
  },
});
const tempDirs: string[] = [];
cleanups.push({
  name: "remove temporary folders",
  run: async () => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  },
});

async function track(child: Promise<Child>): Promise<Child> {
  const c = await child;
  children.add(c);
  c.child.once("exit", () => children.delete(c));
  return c;
}

const production = existsSync(join(APP_DIR, ".next/BUILD_ID"));

const buildId = join(APP_DIR, ".next/BUILD_ID");
const netiaModes: Record<string, string> = {};

/**
 * Starts a Netia node on the production build. A build being rewritten (by a
 * `pnpm build` elsewhere) is waited for, up to three minutes; without one the
 * node runs Next.js in development mode, which the websocket path does not
 * depend on. The mode of each node is recorded.
 */
async function startNetia(name: string, databaseUrl: string, redisUrl?: string): Promise<Child> {
  const deadline = Date.now() + 180_000;
  for (let attempt = 0; ; attempt++) {
    while (!existsSync(buildId) && Date.now() < deadline && production) {
      await sleep(2000);
    }
    const mode = existsSync(buildId) ? "production" : "development";
    try {
      const child = await startNetiaOnce(name, databaseUrl, redisUrl, mode);
      netiaModes[name] = mode;
      if (mode !== "production")
        log(`  (${name}: no production build; Next.js in development mode)`);
      return child;
    } catch (error) {
      if (attempt < 2 && /production build|BUILD_ID|ENOENT/.test(String(error))) {
        log(`  (${name}: the build changed while starting; trying again)`);
        await sleep(5000);
        continue;
      }
      throw error;
    }
  }
}

async function startNetiaOnce(
  name: string,
  databaseUrl: string,
  redisUrl: string | undefined,
  mode: string,
): Promise<Child> {
  const dataDir = mkdtempSync(join(tmpdir(), `netia-bench-${name}-`));
  tempDirs.push(dataDir);
  const port = await freePort();
  return track(
    spawnChild(name, join(REALTIME_DIR, "netia-node.ts"), {
      cwd: APP_DIR,
      env: {
        NODE_ENV: mode,
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        POOL_SIZE: String(settings.poolSize),
        SECRET_KEY_BASE: SHARED_SECRET,
        NETIA_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        // Every simulated visitor comes from 127.0.0.1: lift the per-IP widget limit.
        WIDGET_RATE_LIMIT_PER_IP: "1000000",
        WIDGET_RATE_LIMIT_PER_ACCOUNT: "100000000",
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      },
    }),
  );
}

const RUN_ID = `${Date.now().toString(36)}${process.pid}`;

function startSocketIo(name: string, databaseUrl?: string, redisUrl?: string): Promise<Child> {
  return track(
    spawnChild(name, join(REALTIME_DIR, "socketio-node.ts"), {
      cwd: BENCH_DIR,
      env: {
        BENCH_RUN_ID: RUN_ID,
        POOL_SIZE: String(settings.poolSize),
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      },
    }),
  );
}

/** The tRPC floor (trpc-floor-node.ts), alone or sharing its process with Next.js. */
function startTrpcFloor(name: string, databaseUrl: string, withNext: boolean): Promise<Child> {
  return track(
    spawnChild(name, join(REALTIME_DIR, "trpc-floor-node.ts"), {
      cwd: BENCH_DIR,
      env: {
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: databaseUrl,
        POOL_SIZE: String(settings.poolSize),
        ...(withNext ? { FLOOR_WITH_NEXT: "1" } : {}),
      },
    }),
  );
}

/** How each system's servers start and how its clients talk to them. */
const deliverySystems: Record<
  System,
  {
    start(name: string, databaseUrl: string, redisUrl?: string): Promise<Child>;
    transport: typeof netiaTransport;
  }
> = {
  netia: { start: startNetia, transport: netiaTransport },
  socketio: { start: startSocketIo, transport: socketIoTransport },
  trpc: { start: (name, db) => startTrpcFloor(name, db, false), transport: trpcFloorTransport },
  "trpc-next": {
    start: (name, db) => startTrpcFloor(name, db, true),
    transport: trpcFloorTransport,
  },
};

function startWs(name: string): Promise<Child> {
  return track(spawnChild(name, join(REALTIME_DIR, "ws-node.ts"), { cwd: BENCH_DIR }));
}

// ---------------------------------------------------------------------------
// Delivery

type System = "netia" | "socketio" | "trpc" | "trpc-next";
type DeliveryConfig = { system: System; nodes: 1 | 2; label: string };
type DeliveryResult = DeliveryConfig & {
  steps: StepResult[];
  /** Highest step rate that passed (p99 < 50 ms, no loss, kept up); 0 when none did. */
  sustainedRate: number;
  /** Server CPU milliseconds per message at each step (all nodes together). */
  serverCpuMsPerMessage: Record<number, number>;
};

const deliveryConfigs: DeliveryConfig[] = [
  { system: "socketio", nodes: 1, label: "Socket.IO, 1 node" },
  { system: "netia", nodes: 1, label: "Netia, 1 node (in-process bus)" },
  ...(settings.delivery.floor
    ? ([
        { system: "trpc", nodes: 1, label: "tRPC floor, 1 node" },
        { system: "trpc-next", nodes: 1, label: "tRPC floor + Next.js, 1 node" },
      ] as const)
    : []),
  { system: "socketio", nodes: 2, label: "Socket.IO, 2 nodes + Redis" },
  { system: "netia", nodes: 2, label: "Netia, 2 nodes + Redis" },
];

async function currentSeqs(databaseUrl: string, scene: Scene): Promise<void> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ conversation_id: string; seq: string }>(
      "select conversation_id, max(seq)::text as seq from messages where conversation_id = any($1) group by conversation_id",
      [scene.customers.map((c) => c.conversationId)],
    );
    const bySeq = new Map(rows.map((r) => [r.conversation_id, Number(r.seq)]));
    for (const c of scene.customers) c.lastSeq = bySeq.get(c.conversationId) ?? 0;
  } finally {
    await sql.end();
  }
}

type Live = {
  config: DeliveryConfig;
  servers: Child[];
  run: DeliveryRun;
  transport: Transport;
  steps: StepResult[];
  stopped: boolean;
};

/** One step's line (and its server stalls) as it finishes. */
function logStep(system: string, rate: number, round: number, r: StepResult): void {
  const cpu = Object.entries(r.serverCpuMs)
    .map(([n, ms]) => `${n} ${ms}`)
    .join(", ");
  const stalls = Object.entries(r.serverLoop)
    .map(
      ([n, l]) =>
        `${n} loop delay p99 ${l.delayP99Ms} max ${l.delayMaxMs} ms, GC ${l.gcCount}x ${l.gcMs} ms (longest ${l.gcMaxMs}, ${l.majorGcCount} full)`,
    )
    .join("; ");
  log(
    `  ${system.padEnd(9)} ${String(rate).padStart(5)} msg/s #${round + 1}: achieved ${r.achievedRate}, median ${r.latency.medianMs} ms, p99 ${r.latency.p99Ms} ms, ack p99 ${r.ack.p99Ms} ms; delivered ${r.delivered}/${r.deliveriesExpected}${r.sendErrors ? `, ${r.sendErrors} send errors (${r.firstError})` : ""}${r.saturated ? ", SATURATED" : ""}; CPU ms: ${cpu}, postgres ${r.postgresCpuMs}, redis ${r.redisCpuMs}, client ${r.clientCpuMs}; per message: ${r.perMessage.sqlStatements} SQL statements, ${r.perMessage.clientWrites} client writes (${r.perMessage.clientBytes} B), ${r.perMessage.postgresWrites} Postgres writes, ${r.perMessage.redisWrites} Redis writes, ${r.perMessage.walBytes} B of WAL; machine busy ${Math.round(r.machineBusy * 100)} %${r.passed ? "" : " [fails]"}`,
  );
  log(`           ${stalls}`);
  if (r.lostMessages || r.outOfSeqOrder) {
    log(
      `           ${r.lostMessages} stored messages reached no agent (${r.lostOvertaken} of them with a lower seq than one the agents already had when it was answered); ${r.outOfSeqOrder} reached the first agent after a message with a higher seq`,
    );
  }
}

/**
 * A rate's rounds as one result: the round with the median p99 (a stall of
 * the machine, such as a slow WAL flush, spoils one round, not the figure),
 * with every round's p99 kept beside it.
 */
function medianRound(results: StepResult[]): StepResult {
  const byP99 = [...results].sort((a, b) => a.latency.p99Ms - b.latency.p99Ms);
  const median = byP99[Math.floor((byP99.length - 1) / 2)] as StepResult;
  return { ...median, roundsP99Ms: results.map((r) => r.latency.p99Ms) };
}

/**
 * One node count, both systems side by side: both are started and connected,
 * then each rate is run on one and then the other (alternating which goes
 * first), so a comparison never spans more than a few seconds of the machine's
 * life. Customers connect to the first node, agents to the last.
 */
async function runDeliveryPair(
  nodes: 1 | 2,
  scene: Scene,
  databaseUrl: string,
): Promise<DeliveryResult[]> {
  const d = settings.delivery;
  const configs = deliveryConfigs.filter((c) => c.nodes === nodes);
  log(`\n${configs.map((c) => c.label).join(" vs ")}`);
  await currentSeqs(databaseUrl, scene);
  const redisUrl = nodes === 2 ? settings.redisUrl : undefined;
  const walClient = new pg.Client({ connectionString: databaseUrl });
  await walClient.connect();
  const wal: WalMeter = {
    position: async () =>
      (await walClient.query<{ lsn: string }>("select pg_current_wal_insert_lsn()::text as lsn"))
        .rows[0]?.lsn ?? "0/0",
    bytesSince: async (lsn) =>
      Number(
        (
          await walClient.query<{ n: string }>(
            "select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text as n",
            [lsn],
          )
        ).rows[0]?.n,
      ),
  };
  const t0 = performance.now();
  const systems: Live[] = await Promise.all(
    configs.map(async (config) => {
      const servers = await Promise.all(
        Array.from({ length: nodes }, (_, i) => {
          const name = `${config.system}-${nodes === 1 ? "node" : i === 0 ? "A" : "B"}`;
          return deliverySystems[config.system].start(name, databaseUrl, redisUrl);
        }),
      );
      const ports = {
        customerPort: Number(servers[0]?.info.port),
        agentPort: Number(servers.at(-1)?.info.port),
        agents: d.agents,
      };
      const run = new DeliveryRun(scene.customers.length, d.agents);
      const transport = deliverySystems[config.system].transport(scene, ports, run.onAgentMessage);
      return { config, servers, run, transport, steps: [], stopped: false };
    }),
  );
  log(
    `  ${systems.length * nodes} server processes up in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  try {
    for (const s of systems) await s.transport.connect();
    log(
      `  ${scene.customers.length} customers on ${systems[0]?.servers[0]?.name.replace(/^\w+-/, "node ")}, ${d.agents} agents on ${systems[0]?.servers.at(-1)?.name.replace(/^\w+-/, "node ")}; warm-up ${d.warmupMs / 1000} s at ${d.warmupRate} msg/s each`,
    );
    for (const s of systems) {
      await s.run.step(s.transport, s.servers, {
        rate: d.warmupRate,
        durationMs: d.warmupMs,
        drainMs: d.drainMs,
      });
    }
    for (const [i, rate] of d.rates.entries()) {
      const rounds = new Map<Live, StepResult[]>();
      for (let round = 0; round < d.rounds; round++) {
        const order = (i + round) % 2 === 0 ? systems : [...systems].reverse();
        for (const s of order) {
          if (s.stopped) continue;
          await sleep(500);
          const r = await s.run.step(s.transport, s.servers, {
            rate,
            durationMs: d.stepMs,
            drainMs: d.drainMs,
            wal,
          });
          rounds.set(s, [...(rounds.get(s) ?? []), r]);
          logStep(s.config.system, rate, round, r);
          // Past saturation the next round or step only piles up a longer backlog.
          const keptUp =
            !r.saturated &&
            r.achievedRate >= 0.8 * rate &&
            r.delivered >= 0.8 * r.deliveriesExpected;
          if (!keptUp) {
            s.stopped = true;
            log(`  (${s.config.system}: no further steps, it no longer keeps up)`);
          }
        }
      }
      for (const [s, results] of rounds) s.steps.push(medianRound(results));
      if (systems.every((s) => s.stopped)) break;
    }
    if (settings.profile && nodes === settings.profileNodes) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      for (const s of systems) {
        const server = s.servers[0] as Child;
        await server.request("cpu-profile-start");
        const r = await s.run.step(s.transport, s.servers, {
          rate: settings.profileRate,
          durationMs: settings.profileMs,
          drainMs: d.drainMs,
        });
        const p = await server.request<ProfileSummary>("cpu-profile-stop", {
          file: profileFile(`${s.config.system}-delivery`, "cpuprofile"),
        });
        profiles[`${s.config.system}-delivery-cpu`] = p;
        await server.request("sql-log-start");
        const ms = await s.run.one(s.transport);
        const statements = await server.request<string[]>("sql-log-stop");
        sqlOfOneMessage[s.config.system] = statements;
        log(
          `  ${s.config.system}: one message, ${ms.toFixed(1)} ms to every agent, ${statements.length} SQL statements:`,
        );
        for (const st of statements) log(`      ${st}`);
        logProfile(
          `${s.config.system}: CPU profile of the node over ${settings.profileMs / 1000} s at ${settings.profileRate} msg/s, per message (${r.sent} messages)`,
          p,
          "ms",
          Math.max(1, r.sent),
        );
        // What the GC has to clean up: every allocation while messages flow.
        await server.request("heap-sampling-start", { everything: true });
        const a = await s.run.step(s.transport, s.servers, {
          rate: settings.profileRate,
          durationMs: settings.profileMs,
          drainMs: d.drainMs,
        });
        const allocations = await server.request<ProfileSummary>("heap-sampling-stop", {
          everything: true,
          file: profileFile(`${s.config.system}-delivery-allocations`, "heapprofile"),
        });
        profiles[`${s.config.system}-delivery-allocations`] = allocations;
        logProfile(
          `${s.config.system}: allocations over ${settings.profileMs / 1000} s at ${settings.profileRate} msg/s, per message (${a.sent} messages)`,
          allocations,
          "bytes",
          Math.max(1, a.sent),
        );
      }
    }
  } finally {
    await walClient.end().catch(() => {});
    for (const s of systems) s.transport.close();
    await Promise.all(systems.flatMap((s) => s.servers.map((c) => c.stop())));
  }
  return systems.map(({ config, steps }) => {
    const sustainedRate = Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.targetRate));
    const serverCpuMsPerMessage: Record<number, number> = {};
    for (const s of steps) {
      const total = Object.values(s.serverCpuMs).reduce((a, b) => a + b, 0);
      serverCpuMsPerMessage[s.targetRate] = Math.round((total / Math.max(1, s.sent)) * 1000) / 1000;
    }
    return { ...config, steps, sustainedRate, serverCpuMsPerMessage };
  });
}

// ---------------------------------------------------------------------------
// Connections

type Kind = "ws" | "socketio" | "netia";
type ConnectionResult = {
  kind: Kind;
  label: string;
  requested: number;
  opened: number;
  failed: number;
  firstFailures: string[];
  /** Wall time until every client process had opened its share. */
  openSeconds: number;
  before: ProcessStats;
  afterOpen: ProcessStats;
  settled: ProcessStats;
  perConnection: {
    rssBytes: number;
    heapUsedBytes: number;
    externalBytes: number;
    /** Server CPU from the first connection attempt until all were open and subscribed. */
    cpuMicros: number;
    sqlStatements: number;
    clientWrites: number;
  };
};

const connectionLabels: Record<Kind, string> = {
  ws: "raw ws (bare WebSocketServer)",
  socketio: "Socket.IO (joins a room)",
  netia: "Netia (widget.events subscribed)",
};

async function runConnections(
  kind: Kind,
  targets: IdleTarget[],
  databaseUrl: string,
): Promise<ConnectionResult> {
  const c = settings.connections;
  log(`\n${connectionLabels[kind]}: ${targets.length.toLocaleString("en")} idle connections`);
  const server =
    kind === "netia"
      ? await startNetia("netia-idle", databaseUrl)
      : kind === "socketio"
        ? await startSocketIo("socketio-idle")
        : await startWs("ws-idle");
  const port = Number(server.info.port);
  const clients = await Promise.all(
    Array.from({ length: c.clientProcesses }, (_, i) =>
      track(
        spawnChild(`clients-${i + 1}`, join(REALTIME_DIR, "idle-clients.ts"), { cwd: BENCH_DIR }),
      ),
    ),
  );
  try {
    type Opened = { opened: number; failed: number; firstFailures: string[]; ms: number };
    const open = (client: Child, share: IdleTarget[]) =>
      client.request<Opened>(
        "open",
        { kind, port, targets: share, concurrency: c.concurrency, timeoutMs: 120_000 },
        600_000,
      );
    // Warm-up: code paths, pools and caches get going before the baseline figure.
    const warm = await open(clients[0] as Child, targets.slice(-c.warmup));
    if (warm.failed)
      throw new Error(`warm-up connections failed: ${warm.firstFailures.join("; ")}`);
    await (clients[0] as Child).request("close");
    await sleep(2000);

    const before = await server.stats();
    const t0 = performance.now();
    const per = Math.ceil(targets.length / clients.length);
    const results = await Promise.all(
      clients.map((client, i) => open(client, targets.slice(i * per, (i + 1) * per))),
    );
    const openSeconds = (performance.now() - t0) / 1000;
    const afterOpen = await server.stats();
    await sleep(c.settleMs);
    const settled = await server.stats();
    const opened = results.reduce((n, r) => n + r.opened, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const firstFailures = [...new Set(results.flatMap((r) => r.firstFailures))].slice(0, 3);
    const n = Math.max(1, opened);
    const result: ConnectionResult = {
      kind,
      label: connectionLabels[kind],
      requested: targets.length,
      opened,
      failed,
      firstFailures,
      openSeconds: Math.round(openSeconds * 10) / 10,
      before,
      afterOpen,
      settled,
      perConnection: {
        rssBytes: Math.round((settled.rss - before.rss) / n),
        heapUsedBytes: Math.round((settled.heapUsed - before.heapUsed) / n),
        externalBytes: Math.round((settled.external - before.external) / n),
        cpuMicros: Math.round(((afterOpen.cpuMsBeforeGc - before.cpuMsAfterGc) * 1000) / n),
        sqlStatements: Math.round(((afterOpen.sqlStatements - before.sqlStatements) / n) * 10) / 10,
        clientWrites:
          Math.round(((afterOpen.writes.clients.calls - before.writes.clients.calls) / n) * 10) /
          10,
      },
    };
    const p = result.perConnection;
    log(
      `  opened ${opened.toLocaleString("en")}${failed ? ` (${failed} failed: ${firstFailures.join("; ")})` : ""} in ${result.openSeconds} s; per connection: RSS ${(p.rssBytes / 1024).toFixed(1)} KB, heap ${(p.heapUsedBytes / 1024).toFixed(1)} KB, external ${(p.externalBytes / 1024).toFixed(1)} KB, CPU ${p.cpuMicros} µs (server RSS ${mb(before.rss)} -> ${mb(settled.rss)} MB, heap ${mb(before.heapUsed)} -> ${mb(settled.heapUsed)} MB)`,
    );
    if (settings.profile && kind !== "ws") {
      // Again with profilers on: close everything, then open a sample of connections.
      await Promise.all(clients.map((cl) => cl.request("close")));
      await sleep(2000);
      const sample = targets.slice(0, settings.profileConnections);
      await server.request("heap-sampling-start");
      await server.request("cpu-profile-start");
      const per2 = Math.ceil(sample.length / clients.length);
      const opened2 = await Promise.all(
        clients.map((client, i) => open(client, sample.slice(i * per2, (i + 1) * per2))),
      );
      const cpu = await server.request<ProfileSummary>("cpu-profile-stop", {
        file: profileFile(`${kind}-connections`, "cpuprofile"),
      });
      const heap = await server.request<ProfileSummary>("heap-sampling-stop", {
        file: profileFile(`${kind}-connections`, "heapprofile"),
      });
      const n2 = Math.max(
        1,
        opened2.reduce((a, r) => a + r.opened, 0),
      );
      profiles[`${kind}-connections-cpu`] = cpu;
      profiles[`${kind}-connections-heap`] = heap;
      (result as ConnectionResult & { profiledConnections?: number }).profiledConnections = n2;
      logProfile(
        `${kind}: CPU to open and subscribe, per connection (${n2} profiled)`,
        cpu,
        "ms",
        n2,
      );
      logProfile(
        `${kind}: live heap per connection by allocation site (${n2} open, sampled every 4 KB)`,
        heap,
        "bytes",
        n2,
      );
    }
    return result;
  } finally {
    // The server closes first, so TIME_WAIT stays on its side, not on client ports.
    await server.stop();
    await Promise.all(clients.map((cl) => cl.request("close").catch(() => {})));
    await Promise.all(clients.map((cl) => cl.stop(5000)));
  }
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

// ---------------------------------------------------------------------------
// Seeding

async function seedDeliveryScene(rt: Runtime): Promise<Scene> {
  const { admin, account } = await signUpAccount(rt, "Realtime Delivery Co");
  const customers: Customer[] = [];
  for (let i = 0; i < settings.delivery.customers; i++) {
    const v = await newVisitor(rt, account.id);
    const { conversationId } = await v.widget.widget.sendMessage({
      body: `hello from customer ${i + 1}`,
      clientMessageId: randomUUID(),
    });
    customers.push({ customerId: v.customerId, token: v.sessionToken, conversationId, lastSeq: 0 });
  }
  return { accountId: account.id, cookie: admin.cookieHeader(), customers };
}

/**
 * Customers, one open conversation each, and a widget session each, set-based.
 * Tokens are random per run; the table keeps their SHA-256 as `identify` does.
 */
async function seedIdleVisitors(
  rt: Runtime,
  databaseUrl: string,
  count: number,
): Promise<IdleTarget[]> {
  const { account, inbox } = await signUpAccount(rt, "Realtime Connections Co");
  const salt = randomBytes(24).toString("base64url");
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    await sql.query("begin");
    await sql.query(
      `create temp table bench_idle on commit drop as
       select g as n, gen_random_uuid() as customer_id, gen_random_uuid() as conversation_id,
              $1::text || g as token
       from generate_series(1, $2::int) g`,
      [`${salt}-`, count],
    );
    await sql.query(
      `insert into customers (id, account_id, visitor_id, name, last_seen_at)
       select customer_id, $1, 'bench-idle-visitor-' || n, 'Idle visitor ' || n, now() from bench_idle`,
      [account.id],
    );
    await sql.query(
      `insert into conversations (id, account_id, inbox_id, customer_id, channel, status, read)
       select conversation_id, $1, $2, customer_id, 'chat', 'open', true from bench_idle`,
      [account.id, inbox.id],
    );
    await sql.query(
      `insert into widget_sessions (account_id, inbox_id, customer_id, token_hash, expires_at)
       select $1, $2, customer_id, encode(sha256(convert_to(token, 'UTF8')), 'hex'), now() + interval '1 day'
       from bench_idle`,
      [account.id, inbox.id],
    );
    const { rows } = await sql.query<{ token: string; conversation_id: string }>(
      "select token, conversation_id from bench_idle order by n",
    );
    await sql.query("commit");
    await sql.query("analyze customers, conversations, widget_sessions");
    return rows.map((r) => ({
      token: r.token,
      conversationId: r.conversation_id,
      accountId: account.id,
    }));
  } finally {
    await sql.end();
  }
}

// ---------------------------------------------------------------------------
// Report

function fmt(n: number, digits = 1): string {
  if (Number.isNaN(n)) return "-";
  if (!Number.isFinite(n)) return "lost";
  return n.toFixed(digits);
}

function pad(rows: string[][], head: string[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ");
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function deliveryTable(results: DeliveryResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    for (const s of r.steps) {
      rows.push([
        r.label,
        String(s.targetRate),
        fmt(s.achievedRate),
        fmt(s.latency.medianMs),
        fmt(s.latency.p99Ms),
        (s.roundsP99Ms ?? [s.latency.p99Ms]).map((x) => fmt(x)).join(" / "),
        fmt(s.latency.maxMs),
        fmt(s.deliveredLatency.p99Ms),
        String(s.lostMessages),
        fmt(s.ack.p99Ms),
        fmt(r.serverCpuMsPerMessage[s.targetRate] ?? Number.NaN, 2),
        fmt(Math.max(...Object.values(s.serverLoop).map((l) => l.delayMaxMs))),
        `${Math.round(s.machineBusy * 100)}%`,
        s.passed ? "yes" : s.saturated ? "saturated" : "no",
      ]);
    }
  }
  return pad(rows, [
    "configuration",
    "msg/s",
    "achieved",
    "median",
    "p99",
    "p99 of each round",
    "max",
    "p99 recv",
    "lost",
    "ack p99",
    "srv CPU ms/msg",
    "srv stall",
    "busy",
    "pass",
  ]);
}

/** What each system's servers did per message, at the first step (the lowest rate). */
function workTable(results: DeliveryResult[]): string {
  const rows = results.flatMap((r) => {
    const s = r.steps[0];
    if (!s) return [];
    return [
      [
        r.label,
        String(s.targetRate),
        fmt(r.serverCpuMsPerMessage[s.targetRate] ?? Number.NaN, 2),
        fmt(1000 / (r.serverCpuMsPerMessage[s.targetRate] ?? Number.NaN), 0),
        fmt(s.perMessage.sqlStatements),
        fmt(s.perMessage.postgresWrites),
        fmt(s.perMessage.clientWrites),
        String(s.perMessage.clientBytes),
        fmt(s.perMessage.redisWrites),
        String(s.perMessage.walBytes),
      ],
    ];
  });
  return pad(rows, [
    "configuration",
    "msg/s",
    "srv CPU ms",
    "msg/s per core",
    "SQL stmts",
    "PG writes",
    "client writes",
    "client bytes",
    "Redis writes",
    "WAL bytes",
  ]);
}

type Ratios = {
  /** Netia, or the tRPC floor, against Socket.IO at the same node count. */
  label: string;
  nodes: 1 | 2;
  sustained: number;
  baselineSustained: number;
  sustainedRatio: number | null;
  p99Ratios: {
    rate: number;
    p99Ms: number;
    baselineP99Ms: number;
    ratio: number | null;
    receivedRatio: number | null;
  }[];
  /** null when the baseline passed no step: there is nothing to compare with. */
  meetsTarget: boolean | null;
};

function verdict(meetsTarget: boolean | null): string {
  if (meetsTarget === null) return "no verdict (the baseline passed no step at these rates)";
  return meetsTarget ? "meets the target" : "MISSES the target";
}

const ratioOf = (x: number, y: number) =>
  Number.isFinite(x) && Number.isFinite(y) && y > 0 ? Math.round((x / y) * 100) / 100 : null;

function ratios(results: DeliveryResult[]): Ratios[] {
  const out: Ratios[] = [];
  for (const system of results.filter((r) => r.system !== "socketio")) {
    const base = results.find((r) => r.system === "socketio" && r.nodes === system.nodes);
    if (!base) continue;
    const p99Ratios = system.steps.flatMap((s) => {
      const b = base.steps.find((x) => x.targetRate === s.targetRate);
      if (!b) return [];
      return [
        {
          rate: s.targetRate,
          p99Ms: s.latency.p99Ms,
          baselineP99Ms: b.latency.p99Ms,
          ratio: ratioOf(s.latency.p99Ms, b.latency.p99Ms),
          /** The same over the deliveries that came (lost ones left out). */
          receivedRatio: ratioOf(s.deliveredLatency.p99Ms, b.deliveredLatency.p99Ms),
        },
      ];
    });
    // The p99 target applies where the baseline itself passes.
    const judged = p99Ratios.filter((p) => base.steps.find((x) => x.targetRate === p.rate)?.passed);
    out.push({
      label: system.label,
      nodes: system.nodes,
      sustained: system.sustainedRate,
      baselineSustained: base.sustainedRate,
      sustainedRatio: ratioOf(system.sustainedRate, base.sustainedRate),
      p99Ratios,
      meetsTarget:
        base.sustainedRate === 0
          ? null
          : system.sustainedRate >= base.sustainedRate &&
            judged.every((p) => p.ratio !== null && p.ratio <= 1.2),
    });
  }
  return out;
}

function connectionsTable(results: ConnectionResult[]): string {
  const rows = results.map((r) => [
    r.label,
    r.opened.toLocaleString("en"),
    fmt(r.openSeconds),
    fmt(r.perConnection.rssBytes / 1024),
    fmt(r.perConnection.heapUsedBytes / 1024),
    fmt(r.perConnection.externalBytes / 1024),
    String(r.perConnection.cpuMicros),
    fmt(r.perConnection.sqlStatements),
    fmt(r.perConnection.clientWrites),
    `${mb(r.before.rss)} -> ${mb(r.settled.rss)}`,
  ]);
  return pad(rows, [
    "server",
    "connections",
    "open s",
    "RSS KB/conn",
    "heap KB/conn",
    "ext KB/conn",
    "CPU µs/conn",
    "SQL/conn",
    "writes/conn",
    "server RSS MB",
  ]);
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = performance.now();
  const date = DATE;
  const loadStart = loadavg();
  const machine = {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres: "",
    redis: "",
    openFilesLimit: openFilesLimit(),
  };
  const git = (args: string[]) => {
    try {
      return execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    } catch {
      return "";
    }
  };
  const source = {
    commit: git(["rev-parse", "HEAD"]),
    /** Files of packages/ and apps/ that differ from the commit when the run started. */
    uncommitted: git(["status", "--porcelain", "--", "packages", "apps"])
      .split("\n")
      .filter(Boolean),
  };
  const need = settings.connections.total + 1000;
  if (machine.openFilesLimit < need) {
    throw new Error(
      `the open files limit is ${machine.openFilesLimit}; the connections test needs ${need}: run through \`pnpm bench:realtime\` (which raises it) or \`ulimit -n ${need}\` first`,
    );
  }
  if (!(globalThis as { gc?: unknown }).gc) {
    throw new Error("run with node --expose-gc (as `pnpm bench:realtime` does)");
  }

  const scratch = await scratchDatabase("netia_bench_rt", 5, cleanups);
  const { database, closePool } = scratch;
  machine.postgres = scratch.postgresVersion;
  log(`Netia realtime benchmark, ${date.toISOString()}`);
  log(
    `Netia at ${source.commit.slice(0, 12)}${source.uncommitted.length ? ` with ${source.uncommitted.length} uncommitted files in packages/ and apps/` : ""}`,
  );
  log(
    `database ${scratch.name} on 127.0.0.1:5432 (dropped at the end); Redis ${settings.redisUrl}`,
  );
  log(
    `Netia nodes: startServer() from apps/web/server.ts, ${production ? "production build" : "development mode (no build)"}`,
  );
  {
    const { Redis } = await import("ioredis");
    const redis = new Redis(settings.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    redis.on("error", () => {});
    try {
      await redis.connect();
      const info = await redis.info("server");
      machine.redis = info.match(/redis_version:(\S+)/)?.[1] ?? "";
    } finally {
      redis.disconnect();
    }
  }
  // Same secret as the nodes, so they accept the session cookie signed here.
  const runtime = await createTestRuntime({
    database,
    config: testConfig({ SECRET_KEY_BASE: SHARED_SECRET }),
  });
  cleanups.push({
    name: "remove the runtime's data folder",
    run: async () => {
      if (runtime.config.dataDir.startsWith(tmpdir())) {
        rmSync(runtime.config.dataDir, { recursive: true, force: true });
      }
    },
  });

  const d = settings.delivery;
  let t = performance.now();
  const scene = await seedDeliveryScene(runtime);
  log(
    `\nseeded ${d.customers} visitors with a conversation each (through widget.identify and widget.sendMessage) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  const idle = await seedIdleVisitors(runtime, scratch.url, settings.connections.total);
  log(
    `seeded ${idle.length.toLocaleString("en")} idle visitors, conversations and widget sessions (set-based SQL) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  // 1. Delivery.
  log(
    `\n== Delivery: ${d.customers} customers sending into their conversations, ${d.agents} agents on dashboard events; steps of ${d.stepMs / 1000} s at ${d.rates.join(", ")} msg/s`,
  );
  const delivery: DeliveryResult[] = [];
  for (const nodes of d.nodes) delivery.push(...(await runDeliveryPair(nodes, scene, scratch.url)));
  await closePool();

  // 2. Connections.
  log(
    `\n== Connections: ${settings.connections.total.toLocaleString("en")} idle connections to one server from ${settings.connections.clientProcesses} client processes`,
  );
  const connections: ConnectionResult[] = [];
  for (const kind of settings.connections.total > 0 ? (["ws", "socketio", "netia"] as const) : []) {
    connections.push(await runConnections(kind, idle, scratch.url));
  }

  // Report.
  const r = ratios(delivery);
  log(`\n== Results\n`);
  log(
    "Delivery (latency in ms, customer send start to agent receive; one sample per message per agent)\n",
  );
  log(deliveryTable(delivery));
  log(
    "\nServer work per message sent (all nodes of the configuration together, at its lowest rate)\n",
  );
  log(workTable(delivery));
  log(`\nSustained rate (highest step with p99 < ${P99_TARGET_MS} ms, no loss, kept up):`);
  for (const x of delivery)
    log(`  ${x.label.padEnd(32)} ${x.sustainedRate || `< ${d.rates[0]}`} msg/s`);
  log("\nAgainst the baseline (target: sustained ratio >= 1, p99 ratio <= 1.2):");
  for (const x of r) {
    log(
      `  ${x.label}: sustained ${x.sustained} / ${x.baselineSustained} = ${x.sustainedRatio ?? "-"}; p99 ratio ${x.p99Ratios
        .map((p) => `${p.rate}: ${p.ratio ?? "lost"} (received ${p.receivedRatio ?? "-"})`)
        .join(", ")} -> ${verdict(x.meetsTarget)}`,
    );
  }
  log(
    "\nConnections (after a forced GC; CPU from the first connection until all were subscribed)\n",
  );
  log(connectionsTable(connections));
  const netiaConn = connections.find((c) => c.kind === "netia");
  if (netiaConn) {
    const kb = netiaConn.perConnection.rssBytes / 1024;
    log(
      `\nNetia: ${kb.toFixed(1)} KB RSS per connection (target <= 20 KB): ${kb <= 20 ? "meets" : "MISSES"} the target`,
    );
  }
  const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");
  log(`\nload average (1/5/15 min): ${fmtLoad(loadStart)} at start, ${fmtLoad(loadavg())} at end`);
  log(
    `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGb} GB, ${machine.postgres}, Redis ${machine.redis}, Node ${machine.node}`,
  );

  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `realtime-${date.toISOString().slice(0, 10)}.json`);
  const report = {
    benchmark: "realtime",
    date: date.toISOString(),
    machine,
    source,
    settings,
    netiaBuild: netiaModes,
    delivery,
    ratios: r,
    connections,
    profiles,
    sqlOfOneMessage,
    loadAverage: { start: loadStart, end: loadavg() },
    runMs: Math.round(performance.now() - started),
  };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(
    `\nwritten to ${relative(REPO_ROOT, file)} (${((performance.now() - started) / 60_000).toFixed(1)} min)`,
  );
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
// Handles of the clients' sockets may linger; the run is over.
process.exit();
