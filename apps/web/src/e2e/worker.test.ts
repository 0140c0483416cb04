// `netia worker`: a process that runs background jobs and nothing else, beside
// web processes that only enqueue (RUN_JOBS=false), on one Postgres database.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { testConfig } from "@netia/config/testing";
import { createDatabase, type Database, migrate } from "@netia/db";
import { closeRuntime, createRuntime, type Runtime } from "@netia/runtime";
import { createScratchDatabase, postgresReachable } from "@netia/testkit/postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");

describe.runIf(await postgresReachable())("netia worker", () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let web: Runtime;
  let database: Database;
  let worker: ChildProcess | undefined;
  const output: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase("netia_worker");
    database = createDatabase({ kind: "postgres", url: scratch.url, ssl: false, poolSize: 4 });
    await migrate(database);
    // A web node that only enqueues.
    web = await createRuntime({
      config: testConfig({ DATABASE_URL: scratch.url, RUN_JOBS: "false" }),
      database,
      migrate: false,
    });
  });

  afterAll(async () => {
    worker?.kill("SIGKILL");
    await closeRuntime(web).catch(() => {});
    await scratch.drop();
  });

  const stateOf = async (id: string) => {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a job id: ${id}`);
    const result = (await database.db.execute(
      `select state from pgboss.job where id = '${id}'`,
    )) as unknown as { rows: { state: string }[] };
    return result.rows[0]?.state;
  };

  it("runs what a web node enqueued, and stops on SIGTERM", async () => {
    const id = await database.db.transaction((tx) =>
      web.jobs.enqueue(tx, "maintenance.expire-uploads", {}),
    );
    if (!id) throw new Error("the job was not enqueued");
    // Nobody runs jobs yet: the web node only enqueues.
    expect(await stateOf(id)).toBe("created");

    worker = spawn(process.execPath, ["--import", "tsx", "cli.ts", "worker"], {
      cwd: APP_DIR,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        DATABASE_URL: scratch.url,
        SECRET_KEY_BASE: "worker-secret-".padEnd(64, "w"),
        NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), "netia-worker-")),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
    worker.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      worker?.once("exit", (code) => resolve(code)),
    );

    await vi.waitFor(async () => expect(await stateOf(id)).toBe("completed"), {
      timeout: 60_000,
      interval: 200,
    });
    worker.kill("SIGTERM");
    expect(await exited, output.join("")).toBe(0);
    expect(output.join("")).toContain("Stopping: running jobs finish or go back to the queue");
  });

  it("refuses to run on the embedded database, which belongs to the server process", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli.ts", "worker"], {
      cwd: APP_DIR,
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "development",
        NETIA_DATA_DIR: mkdtempSync(join(tmpdir(), "netia-worker-embedded-")),
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("ERROR a worker needs DATABASE_URL");
  });
});
