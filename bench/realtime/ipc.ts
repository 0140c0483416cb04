// The small request/answer protocol between the benchmark and the processes it
// starts (servers and client processes), over Node's IPC channel. A child
// answers `stats` with its own memory after forcing a full GC (it runs with
// --expose-gc) and its CPU time, so the figures come from inside the process.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { constants, monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import pg from "pg";
import { startCpuProfile, startHeapSampling, stopCpuProfile, stopHeapSampling } from "./profile";

export type ProcessStats = {
  pid: number;
  /** CPU time used so far (user + system), read before the forced GC. */
  cpuMsBeforeGc: number;
  /** The same, read after the forced GC: the GC's own CPU is between the two. */
  cpuMsAfterGc: number;
  /** After a full GC. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** VmRSS from /proc/self/status, as an outside observer sees it. */
  vmRss: number;
  /** Socket writes (write or writev calls reaching the kernel) and bytes, by peer. */
  writes: Record<Peer, { calls: number; bytes: number }>;
  /** Statements sent through node-postgres (every query, BEGIN and COMMIT included). */
  sqlStatements: number;
  /** Event-loop stalls and GC pauses since the last `loop-reset`, read before the forced GC. */
  loop: LoopStats;
};

export type LoopStats = {
  delayP99Ms: number;
  delayMaxMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  /** Mark-compact (full) collections, which stop everything for longest. */
  majorGcCount: number;
};

type Peer = "clients" | "postgres" | "redis";

const writes: ProcessStats["writes"] = {
  clients: { calls: 0, bytes: 0 },
  postgres: { calls: 0, bytes: 0 },
  redis: { calls: 0, bytes: 0 },
};
let sqlStatements = 0;
/** While set, the text of every statement sent (to show what one call does). */
let sqlLog: string[] | null = null;

/**
 * Counts what this process sends: socket writes by peer (Postgres on 5432,
 * Redis on 6379, everything else is a client), and SQL statements. `pg` here
 * is the same module instance Netia's database layer uses (one pnpm store
 * entry), so its statements are counted too.
 */
function installCounters(): void {
  type WriteGeneric = (
    this: net.Socket,
    writev: boolean,
    data: unknown,
    ...rest: unknown[]
  ) => unknown;
  const proto = net.Socket.prototype as unknown as { _writeGeneric: WriteGeneric };
  const original = proto._writeGeneric;
  proto._writeGeneric = function (writev, data, ...rest) {
    const port = this.remotePort;
    const peer: Peer = port === 5432 ? "postgres" : port === 6379 ? "redis" : "clients";
    const w = writes[peer];
    w.calls++;
    if (writev && Array.isArray(data)) {
      for (const d of data as { chunk: { length: number } }[]) w.bytes += d.chunk?.length ?? 0;
    } else {
      w.bytes += (data as { length?: number })?.length ?? 0;
    }
    return original.call(this, writev, data, ...rest);
  };
  type Query = (this: unknown, ...args: unknown[]) => unknown;
  const client = pg.Client.prototype as unknown as { query: Query };
  const query = client.query;
  client.query = function (...args) {
    sqlStatements++;
    if (sqlLog) {
      const [first] = args;
      const text =
        typeof first === "string"
          ? first
          : first && typeof first === "object" && "text" in first
            ? String((first as { text: unknown }).text)
            : "?";
      sqlLog.push(text.replace(/\s+/g, " ").slice(0, 160));
    }
    return query.apply(this, args);
  };
}

/**
 * Watches this process's event loop and GC pauses: a server that stalls delays
 * every message in flight, which shows in the tail but not in CPU per message.
 */
function watchLoop(): { read(): LoopStats; reset(): void } {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const gc = { count: 0, ms: 0, maxMs: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count++;
      gc.ms += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    }
  }).observe({ entryTypes: ["gc"] });
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    read: () => ({
      delayP99Ms: ms(delay.percentile(99)),
      delayMaxMs: ms(delay.max),
      gcCount: gc.count,
      gcMs: Math.round(gc.ms),
      gcMaxMs: Math.round(gc.maxMs * 100) / 100,
      majorGcCount: gc.major,
    }),
    reset() {
      delay.reset();
      Object.assign(gc, { count: 0, ms: 0, maxMs: 0, major: 0 });
    },
  };
}
let loop: ReturnType<typeof watchLoop> | undefined;

type Request = { id: number; type: string; [key: string]: unknown };
type Answer = { id: number; ok: boolean; error?: string; value?: unknown };

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function vmRss(): number {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.replace(/\D+/g, "") ?? 0) * 1024;
}

/** Full GC twice (a second pass collects what the first one's finalizers freed). */
async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("this process needs --expose-gc");
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
}

export async function ownStats(): Promise<ProcessStats> {
  const cpuMsBeforeGc = cpuMs();
  loop ??= watchLoop();
  const loopStats = loop.read();
  await fullGc();
  const cpuMsAfterGc = cpuMs();
  const m = process.memoryUsage();
  return {
    pid: process.pid,
    cpuMsBeforeGc,
    cpuMsAfterGc,
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    vmRss: vmRss(),
    writes: structuredClone(writes),
    sqlStatements,
    loop: loopStats,
  };
}

/**
 * In a child: answers the parent's requests with `handlers` (plus `stats`), and
 * exits when the parent goes away, so nothing outlives an interrupted run.
 */
export function serve(
  handlers: Record<string, (req: Request) => Promise<unknown> | unknown>,
): void {
  installCounters();
  loop ??= watchLoop();
  const all: Record<string, (req: Request) => Promise<unknown> | unknown> = {
    stats: () => ownStats(),
    "cpu-profile-start": () => startCpuProfile(),
    "cpu-profile-stop": (req) => stopCpuProfile(String(req.file)),
    "heap-sampling-start": (req) => startHeapSampling(4096, req.everything === true),
    "heap-sampling-stop": (req) => stopHeapSampling(String(req.file), 25, req.everything === true),
    "loop-reset": () => {
      loop?.reset();
      return null;
    },
    "sql-log-start": () => {
      sqlLog = [];
      return null;
    },
    "sql-log-stop": () => {
      const texts = sqlLog ?? [];
      sqlLog = null;
      return texts;
    },
    ...handlers,
  };
  process.on("message", (raw) => {
    const req = raw as Request;
    const handler = all[req.type];
    void (async () => {
      let answer: Answer;
      try {
        if (!handler) throw new Error(`unknown request ${req.type}`);
        answer = { id: req.id, ok: true, value: await handler(req) };
      } catch (error) {
        answer = {
          id: req.id,
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        };
      }
      process.send?.(answer);
    })();
  });
  process.on("disconnect", () => process.exit(0));
}

/** In a child: tells the parent it is ready (with whatever it needs to know). */
export function ready(info: Record<string, unknown>): void {
  process.send?.({ id: 0, ok: true, value: { ready: true, ...info } });
}

export type Child = {
  name: string;
  child: ChildProcess;
  pid: number;
  info: Record<string, unknown>;
  output: string[];
  request<T>(type: string, payload?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  stats(): Promise<ProcessStats>;
  /** Asks the child to stop; SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

/**
 * Spawns `node --expose-gc --import tsx <script>` with an IPC channel and waits
 * until the child reports ready.
 */
export async function spawnChild(
  name: string,
  script: string,
  {
    cwd,
    env = {},
    args = [],
    readyTimeoutMs = 120_000,
  }: { cwd: string; env?: Record<string, string>; args?: string[]; readyTimeoutMs?: number },
): Promise<Child> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const output: string[] = [];
  const keep = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let readyResolve: (info: Record<string, unknown>) => void = () => {};
  const readyPromise = new Promise<Record<string, unknown>>((r) => {
    readyResolve = r;
  });
  child.on("message", (raw) => {
    const answer = raw as Answer;
    if (answer.id === 0) {
      readyResolve(answer.value as Record<string, unknown>);
      return;
    }
    const w = waiting.get(answer.id);
    if (!w) return;
    waiting.delete(answer.id);
    if (answer.ok) w.resolve(answer.value);
    else w.reject(new Error(`${name}: ${answer.error}`));
  });
  child.once("exit", (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${name} exited (${code ?? signal})`));
    waiting.clear();
  });

  const tail = () => output.join("").slice(-3000);
  let timer: NodeJS.Timeout | undefined;
  const info = await Promise.race([
    readyPromise,
    exited.then(() => {
      throw new Error(`${name} exited before it was ready:\n${tail()}`);
    }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${name} was not ready after ${readyTimeoutMs} ms:\n${tail()}`)),
        readyTimeoutMs,
      );
    }),
  ]).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  clearTimeout(timer);

  const request = <T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 300_000) =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`${name} is not running`));
        return;
      }
      const id = nextId++;
      const t = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`${name}: "${type}" got no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, {
        resolve: (v) => {
          clearTimeout(t);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      child.send({ id, type, ...payload });
    });

  return {
    name,
    child,
    pid: child.pid ?? 0,
    info,
    output,
    request,
    stats: () => request<ProcessStats>("stats"),
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
      request("stop", {}, graceMs).catch(() => {});
      // A child that ignores the request (or lost the channel) gets SIGTERM, then SIGKILL.
      const term = setTimeout(() => child.kill("SIGTERM"), graceMs / 2);
      await exited;
      clearTimeout(kill);
      clearTimeout(term);
    },
  };
}
