// Cold start: spawn the production server on a fresh, empty embedded database
// (PGlite in a new data folder) and time until GET /api/health answers 200.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDatabase, migrate } from "@netia/db";

const HEALTH_TIMEOUT_MS = 120_000;
const POLL_MS = 20;
const STOP_TIMEOUT_MS = 15_000;

export type ColdStartRun = {
  /** Spawn to GET /api/health answering 200. */
  healthyMs: number;
  /** Spawn to the server's "listening" log line (migrations and Next.js prepared). */
  listeningMs: number | null;
};

export type ColdStartResult =
  | { skipped: true; reason: string }
  | { skipped: false; runs: ColdStartRun[]; medianMs: number };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Stops a spawned server with SIGTERM (SIGKILL if it hangs) and waits for it to exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * `track` receives each spawned process so the caller can stop it if the
 * benchmark is interrupted.
 */
export async function coldStart(
  repoRoot: string,
  count: number,
  log: (line: string) => void,
  track: (child: ChildProcess | null) => void,
): Promise<ColdStartResult> {
  const appDir = join(repoRoot, "apps/web");
  if (!existsSync(join(appDir, ".next/BUILD_ID"))) {
    return {
      skipped: true,
      reason: "apps/web/.next/BUILD_ID is missing: the cold-start part needs `pnpm build` first",
    };
  }
  const runs: ColdStartRun[] = [];
  for (let run = 1; run <= count; run++) {
    const dataDir = mkdtempSync(join(tmpdir(), "netia-bench-data-"));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NETIA_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      SECRET_KEY_BASE: randomBytes(48).toString("base64url"),
      LOG_LEVEL: "info",
    };
    // An empty embedded database: nothing may point the server at Postgres.
    delete env.DATABASE_URL;
    delete env.BACKEND_URL;
    delete env.REACT_APP_URL;
    let output = "";
    let listeningMs: number | null = null;
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(appDir, "server.ts")], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    track(child);
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (listeningMs === null && output.includes("listening on")) {
        listeningMs = performance.now() - t0;
      }
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    try {
      const url = `http://127.0.0.1:${port}/api/health`;
      let ms: number | null = null;
      while (performance.now() - t0 < HEALTH_TIMEOUT_MS) {
        if (child.exitCode !== null) {
          throw new Error(`the server exited with code ${child.exitCode}:\n${output}`);
        }
        if (await healthy(url)) {
          ms = performance.now() - t0;
          break;
        }
        await sleep(POLL_MS);
      }
      if (ms === null) {
        throw new Error(`no healthy answer within ${HEALTH_TIMEOUT_MS / 1000} s:\n${output}`);
      }
      const listening = listeningMs as number | null;
      runs.push({
        healthyMs: Math.round(ms),
        listeningMs: listening === null ? null : Math.round(listening),
      });
      log(
        `  run ${run}: ${Math.round(ms)} ms to healthy${listening === null ? "" : ` (listening after ${Math.round(listening)} ms)`}`,
      );
    } finally {
      await stop(child);
      track(null);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const sorted = runs.map((r) => r.healthyMs).sort((a, b) => a - b);
  return { skipped: false, runs, medianMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN };
}

export type EmbeddedStartup = { openMs: number[]; migrateMs: number[] };

/**
 * The embedded database's share of a cold start, timed in this process: open
 * PGlite on a new data folder (which initialises it), then apply migrations.
 */
export async function embeddedStartup(count: number): Promise<EmbeddedStartup> {
  const result: EmbeddedStartup = { openMs: [], migrateMs: [] };
  for (let i = 0; i < count; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), "netia-bench-pglite-"));
    try {
      const t0 = performance.now();
      const database = createDatabase({ kind: "pglite", dir: join(dataDir, "db") });
      try {
        if (!(await database.ping())) throw new Error("PGlite did not answer");
        const t1 = performance.now();
        await migrate(database);
        result.openMs.push(Math.round(t1 - t0));
        result.migrateMs.push(Math.round(performance.now() - t1));
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return result;
}
