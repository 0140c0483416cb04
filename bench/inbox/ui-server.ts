// The production server (`node --import tsx apps/web/server.ts`, NODE_ENV=production)
// in its own process on a Postgres database, as a deployment runs it, for the
// browser part of the inbox benchmark.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;

export type ProductionServer = { url: string; stop: () => Promise<void> };

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

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts the production build on `databaseUrl` and waits for GET /api/health to answer 200. */
export async function startProductionServer(
  repoRoot: string,
  databaseUrl: string,
): Promise<ProductionServer> {
  const appDir = join(repoRoot, "apps/web");
  if (!existsSync(join(appDir, ".next/BUILD_ID"))) {
    throw new Error("apps/web/.next/BUILD_ID is missing: run `pnpm build` first");
  }
  const dataDir = mkdtempSync(join(tmpdir(), "netia-bench-ui-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    NETIA_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    SECRET_KEY_BASE: randomBytes(48).toString("base64url"),
    LOG_LEVEL: "warn",
  };
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ["--import", "tsx", join(appDir, "server.ts")], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  try {
    while (!(await healthy(`${url}/api/health`))) {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      if (performance.now() - t0 > HEALTH_TIMEOUT_MS) {
        throw new Error(`no healthy answer within ${HEALTH_TIMEOUT_MS / 1000} s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
