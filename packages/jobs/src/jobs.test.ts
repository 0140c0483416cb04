// One contract, two databases: the queue behaves the same on Postgres (several
// nodes) and on the embedded PGlite (one process). Waits are on conditions in
// the database, never on elapsed time.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { testConfig } from "@netia/config/testing";
import { createLogger } from "@netia/core";
import { createDatabase, type Database } from "@netia/db";
import { createMemoryBus } from "@netia/realtime";
import { createScratchDatabase, postgresReachable } from "@netia/testkit/postgres";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createJobs, type Jobs, type JobsOptions } from "./jobs";
import { fastIntervals, runs, setGate, TEST_TABLES, testJobs } from "./tests/definitions";

type TestJobs = typeof testJobs;
type Opened = { database: Database; url?: string; dispose(): Promise<void> };

const until = { timeout: 25_000, interval: 100 };

async function openPglite(): Promise<Opened> {
  const database = createDatabase({ kind: "pglite-instance", client: new PGlite() });
  await database.execInTransaction(TEST_TABLES);
  return { database, dispose: () => database.close() };
}

async function openPostgres(): Promise<Opened> {
  const scratch = await createScratchDatabase("netia_jobs");
  const database = createDatabase({ kind: "postgres", url: scratch.url, ssl: false, poolSize: 4 });
  await database.execInTransaction(TEST_TABLES);
  return {
    database,
    url: scratch.url,
    async dispose() {
      await database.close();
      await scratch.drop();
    },
  };
}

async function rows<T>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await database.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The jobs pg-boss holds for `name` with payload key `key`, by state. */
const jobStates = (database: Database, name: string, key: string) =>
  rows<{ state: string }>(
    database,
    sql`select state from pgboss.job where name = ${name} and data->>'key' = ${key}`,
  ).then((r) => r.map((j) => j.state));

function jobsContract(kind: "postgres" | "pglite", open: () => Promise<Opened>) {
  describe(`jobs on ${kind}`, () => {
    let env: Opened;
    let db: Database["db"];
    const nodes: Jobs<TestJobs>[] = [];

    beforeAll(async () => {
      env = await open();
      db = env.database.db;
    });
    afterEach(async () => {
      await Promise.all(nodes.splice(0).map((n) => n.stop()));
    });
    afterAll(async () => {
      await env?.dispose();
    });

    /** A node of the queue on the database under test. */
    function node(options: Partial<JobsOptions<TestJobs>> = {}): Jobs<TestJobs> {
      const jobs = createJobs({
        database: env.database,
        definitions: testJobs,
        context: {
          db,
          bus: createMemoryBus(),
          logger: createLogger("silent"),
          config: testConfig(),
          ai: null,
        },
        ...fastIntervals,
        ...options,
      });
      nodes.push(jobs);
      return jobs;
    }

    it("keeps no job from a rolled-back transaction and runs one from a committed one", async () => {
      const jobs = node();
      await jobs.start();
      const rolledBack = randomUUID();
      const committed = randomUUID();
      await expect(
        db.transaction(async (tx) => {
          expect(await jobs.enqueue(tx, "test.record", { key: rolledBack })).toEqual(
            expect.any(String),
          );
          throw new Error("the write failed");
        }),
      ).rejects.toThrow("the write failed");
      await db.transaction(async (tx) => {
        await jobs.enqueue(tx, "test.record", { key: committed });
      });

      await vi.waitFor(async () => expect(await runs(db, committed, "finished")).toBe(1), until);
      expect(await jobStates(env.database, "test.record", rolledBack)).toEqual([]);
      expect(await runs(db, rolledBack, "finished")).toBe(0);
    });

    it("reports its health: up with every queue once started, down once stopped", async () => {
      const jobs = node({ work: false });
      expect((await jobs.health()).up).toBe(false);
      await jobs.start();
      const health = await jobs.health();
      expect(health.up).toBe(true);
      expect(health.queues.map((q) => q.name).sort()).toEqual(Object.keys(testJobs).sort());
      await jobs.stop();
      expect((await jobs.health()).up).toBe(false);
    });

    it("refuses to enqueue before start() has loaded the queues", async () => {
      await expect(node().enqueue(db, "test.record", { key: randomUUID() })).rejects.toThrow(
        "start()",
      );
    });

    it("rejects a payload its definition does not accept", async () => {
      const jobs = node({ work: false });
      await jobs.start();
      await expect(
        // @ts-expect-error: the payload type follows from the job's name.
        jobs.enqueue(db, "test.record", { key: 42 }),
      ).rejects.toThrow();
    });

    it("runs a job enqueued while no node worked, once a node starts", async () => {
      const key = randomUUID();
      const enqueuer = node({ work: false });
      await enqueuer.start();
      await enqueuer.enqueue(db, "test.record", { key });
      await enqueuer.stop();
      expect(await runs(db, key, "finished")).toBe(0);

      await node().start();
      await vi.waitFor(
        async () =>
          expect(await jobStates(env.database, "test.record", key)).toEqual(["completed"]),
        until,
      );
      expect(await runs(db, key, "finished")).toBe(1);
    });

    it("lets a running job finish when the node stops", async () => {
      const key = randomUUID();
      await setGate(db, key, true);
      const jobs = node();
      await jobs.start();
      await jobs.enqueue(db, "test.hold", { key });
      await vi.waitFor(async () => expect(await runs(db, key, "started")).toBe(1), until);

      const stopping = jobs.stop();
      await setGate(db, key, false);
      await stopping;
      // stop() returned only after the job had finished and was marked complete.
      expect(await runs(db, key, "finished")).toBe(1);
      expect(await jobStates(env.database, "test.hold", key)).toEqual(["completed"]);
    });

    it("hands a job back when stop times out, and the next node completes it once", async () => {
      const key = randomUUID();
      await setGate(db, key, true);
      const first = node({ stopTimeoutMs: 1000 });
      await first.start();
      await first.enqueue(db, "test.hold", { key });
      await vi.waitFor(async () => expect(await runs(db, key, "started")).toBe(1), until);
      await first.stop();
      expect(await runs(db, key, "finished")).toBe(0);
      expect(await jobStates(env.database, "test.hold", key)).toEqual(["retry"]);

      await setGate(db, key, false);
      await node().start();
      await vi.waitFor(
        async () => expect(await jobStates(env.database, "test.hold", key)).toEqual(["completed"]),
        until,
      );
      expect(await runs(db, key, "finished")).toBe(1);
    });

    it("retries a failing job with backoff, then dead-letters it", async () => {
      const key = randomUUID();
      const jobs = node();
      await jobs.start();
      const id = await jobs.enqueue(db, "test.fail", { key });

      await vi.waitFor(async () => {
        expect((await jobs.listFailedJobs()).map((j) => j.id)).toContain(id);
      }, until);
      const failed = (await jobs.listFailedJobs()).find((j) => j.id === id);
      expect(failed).toMatchObject({
        name: "test.fail",
        data: { key },
        attempts: 3,
        error: "provider is down",
      });
      expect(await runs(db, key, "started")).toBe(3);
      expect(await jobStates(env.database, "test.fail", key)).toEqual(["failed"]);
    });

    it("drains a burst of jobs in batches without waiting for a poll", async () => {
      // One transaction, one notification: with a poll only every minute, the
      // burst finishes in time only if each full fetch is followed by the next.
      const jobs = node({ pollingIntervalSeconds: 60 });
      await jobs.start();
      const keys = Array.from({ length: 40 }, () => randomUUID());
      await db.transaction(async (tx) => {
        for (const key of keys) await jobs.enqueue(tx, "test.record", { key });
      });
      await vi.waitFor(async () => {
        const [done] = await rows<{ n: number }>(
          env.database,
          sql`select count(*)::int as n from job_runs
              where event = 'finished' and key in ${sql.raw(`('${keys.join("','")}')`)}`,
        );
        expect(done?.n).toBe(keys.length);
      }, until);
      for (const key of keys) expect(await runs(db, key, "finished")).toBe(1);
    });

    it("retries only the job of a batch that failed", async () => {
      const jobs = node();
      await jobs.start();
      const flaky = `flaky-${randomUUID()}`;
      const steady = Array.from({ length: 4 }, () => randomUUID());
      await db.transaction(async (tx) => {
        for (const key of [flaky, ...steady]) await jobs.enqueue(tx, "test.flaky", { key });
      });
      await vi.waitFor(
        async () =>
          expect(await jobStates(env.database, "test.flaky", flaky)).toEqual(["completed"]),
        until,
      );
      expect(await runs(db, flaky, "started")).toBe(2);
      expect(await runs(db, flaky, "finished")).toBe(1);
      for (const key of steady) {
        expect(await jobStates(env.database, "test.flaky", key)).toEqual(["completed"]);
        expect(await runs(db, key, "started")).toBe(1);
      }
    });

    it("fails an attempt that outlives its expiry without redoing the rest of its batch", async () => {
      const jobs = node();
      await jobs.start();
      const stuck = randomUUID();
      const quick = Array.from({ length: 4 }, () => randomUUID());
      await setGate(db, stuck, true);
      await db.transaction(async (tx) => {
        for (const key of [stuck, ...quick]) await jobs.enqueue(tx, "test.hold", { key });
      });
      // test.hold expires after 2 s: the stuck attempt is failed and tried again.
      await vi.waitFor(
        async () => expect(await runs(db, stuck, "started")).toBeGreaterThanOrEqual(2),
        until,
      );
      for (const key of quick) {
        expect(await jobStates(env.database, "test.hold", key)).toEqual(["completed"]);
        expect(await runs(db, key, "started")).toBe(1);
        expect(await runs(db, key, "finished")).toBe(1);
      }
      await setGate(db, stuck, false);
      await vi.waitFor(
        async () =>
          expect(await jobStates(env.database, "test.hold", stuck)).toEqual(["completed"]),
        until,
      );
      expect(await runs(db, stuck, "finished")).toBe(1);
    });

    it("keeps one waiting job per singleton key", async () => {
      const jobs = node({ work: false });
      await jobs.start();
      const key = randomUUID();
      expect(await jobs.enqueue(db, "test.single", { key })).toEqual(expect.any(String));
      expect(await jobs.enqueue(db, "test.single", { key })).toBeNull();
      expect(await jobs.enqueue(db, "test.single", { key: randomUUID() })).toEqual(
        expect.any(String),
      );
      expect(await jobStates(env.database, "test.single", key)).toEqual(["created"]);
    });

    it("runs a cron job once per slot across two nodes", async () => {
      const [a, b] = [node(), node()];
      await Promise.all([a.start(), b.start()]);
      await vi.waitFor(async () => expect(await runs(db, "cron", "finished")).toBeGreaterThan(0), {
        ...until,
        timeout: 90_000,
      });
      // Let both nodes make several more passes over the same slot.
      const [stamp] = await rows<{ mark: string }>(
        env.database,
        sql`select (cron_on + interval '3 seconds')::text as mark from pgboss.version`,
      );
      await vi.waitFor(async () => {
        const [pass] = await rows<{ passed: boolean }>(
          env.database,
          sql`select cron_on > ${stamp?.mark}::timestamptz as passed from pgboss.version`,
        );
        expect(pass?.passed).toBe(true);
      }, until);

      // pg-boss files each occurrence under a unique (schedule, slot) row in its own send-it
      // queue and forwards each of those once: one job per slot.
      const counts = () =>
        rows<{ jobs: number; slots: number }>(
          env.database,
          sql`select
            (select count(*)::int from pgboss.job where name = 'test.cron') as jobs,
            (select count(distinct singleton_on)::int from pgboss.job
              where name = '__pgboss__send-it' and data->>'name' = 'test.cron') as slots`,
        ).then((r) => r[0]);
      await vi.waitFor(async () => {
        const now = await counts();
        expect(now?.slots).toBeGreaterThan(0);
        expect(now?.jobs).toBe(now?.slots);
        expect(await runs(db, "cron", "finished")).toBe(now?.slots);
      }, until);
    }, 120_000);

    it("installs its schema when two nodes boot together on an empty database", async () => {
      const empty = await open();
      const boot = () =>
        createJobs({
          database: empty.database,
          definitions: testJobs,
          context: {
            db: empty.database.db,
            bus: createMemoryBus(),
            logger: createLogger("silent"),
            config: testConfig(),
            ai: null,
          },
          work: false,
        });
      const both = [boot(), boot()];
      try {
        await Promise.all(both.map((n) => n.start()));
        const key = randomUUID();
        expect(await both[1]?.enqueue(empty.database.db, "test.record", { key })).toEqual(
          expect.any(String),
        );
      } finally {
        await Promise.all(both.map((n) => n.stop()));
        await empty.dispose();
      }
    });

    it("leaves the app's schema to drizzle: its tables live in their own schema", async () => {
      await node({ work: false }).start();
      const schemas = await rows<{ table_schema: string }>(
        env.database,
        sql`select distinct table_schema from information_schema.tables
            where table_name = 'job' and table_schema <> 'public'`,
      );
      expect(schemas.map((s) => s.table_schema)).toEqual(["pgboss"]);
      const inPublic = await rows<{ table_name: string }>(
        env.database,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      );
      expect(inPublic.map((t) => t.table_name)).toEqual(["job_gates", "job_runs"]);
    });

    if (kind === "postgres") {
      it("completes a job exactly once after the node running it is killed", async () => {
        const key = randomUUID();
        await setGate(db, key, true);
        const child = startChild(env.url as string);
        try {
          await vi.waitFor(() => expect(child.ready).toBe(true), until);
          const enqueuer = node({ work: false });
          await enqueuer.start();
          await enqueuer.enqueue(db, "test.hold", { key });
          await vi.waitFor(async () => expect(await runs(db, key, "started")).toBe(1), until);
        } finally {
          child.process.kill("SIGKILL");
        }
        await new Promise((resolve) => child.process.once("exit", resolve));
        expect(await runs(db, key, "finished")).toBe(0);

        await setGate(db, key, false);
        await node().start();
        await vi.waitFor(
          async () =>
            expect(await jobStates(env.database, "test.hold", key)).toEqual(["completed"]),
          until,
        );
        expect(await runs(db, key, "finished")).toBe(1);
      });
    }
  });
}

function startChild(url: string) {
  const script = join(import.meta.dirname, "tests", "jobs-child.ts");
  const state = {
    ready: false,
    process: spawn(process.execPath, ["--conditions=netia-test", "--import", "tsx", script, url], {
      stdio: ["ignore", "pipe", "inherit"],
    }) as ChildProcess,
  };
  state.process.stdout?.on("data", (chunk: Buffer) => {
    if (chunk.toString().includes("ready")) state.ready = true;
  });
  return state;
}

jobsContract("pglite", openPglite);
describe.runIf(await postgresReachable())("on Postgres", () => {
  jobsContract("postgres", openPostgres);
});
