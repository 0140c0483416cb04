// Job kinds for the contract tests. Each handler leaves its trace in the
// `job_runs` table of the database under test, so a test can tell how often a
// job started and finished, across processes.
import type { Db } from "@netia/db";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { defineJob, jobRegistry } from "../define";

export const TEST_TABLES = `
  create table if not exists job_runs (key text not null, event text not null, attempt int not null);
  create table if not exists job_gates (key text primary key, held boolean not null);
`;

export async function runs(db: Db, key: string, event: string): Promise<number> {
  const result = (await db.execute(
    sql`select count(*)::int as n from job_runs where key = ${key} and event = ${event}`,
  )) as unknown as { rows: { n: number }[] };
  return result.rows[0]?.n ?? 0;
}

export async function setGate(db: Db, key: string, held: boolean) {
  await db.execute(
    sql`insert into job_gates (key, held) values (${key}, ${held})
        on conflict (key) do update set held = excluded.held`,
  );
}

const record = (db: Db, key: string, event: string, attempt: number) =>
  db.execute(sql`insert into job_runs (key, event, attempt) values (${key}, ${event}, ${attempt})`);

const keyed = z.object({ key: z.string() });

export const testJobs = jobRegistry(
  defineJob({
    name: "test.record",
    payload: keyed,
    retry: { retryLimit: 1, retryDelay: 1, retryBackoff: false },
    handler:
      async () =>
      async (payload, { db, job }) => {
        await record(db, payload.key, "finished", job.retryCount);
      },
  }),
  defineJob({
    name: "test.single",
    payload: keyed,
    policy: "short",
    singletonKey: (payload) => payload.key,
    retry: { retryLimit: 0, retryDelay: 1, retryBackoff: false },
    handler:
      async () =>
      async (payload, { db, job }) => {
        await record(db, payload.key, "finished", job.retryCount);
      },
  }),
  defineJob({
    // Starts, then waits while its gate is held; a lost attempt expires after 2 s.
    name: "test.hold",
    payload: keyed,
    expireInSeconds: 2,
    retry: { retryLimit: 3, retryDelay: 1, retryBackoff: false },
    handler:
      async () =>
      async (payload, { db, job }) => {
        await record(db, payload.key, "started", job.retryCount);
        for (;;) {
          job.signal.throwIfAborted();
          const gate = (await db.execute(
            sql`select held from job_gates where key = ${payload.key}`,
          )) as unknown as { rows: { held: boolean }[] };
          if (!gate.rows[0]?.held) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await record(db, payload.key, "finished", job.retryCount);
      },
  }),
  defineJob({
    name: "test.fail",
    payload: keyed,
    retry: { retryLimit: 2, retryDelay: 1, retryBackoff: true },
    handler:
      async () =>
      async (payload, { db, job }) => {
        await record(db, payload.key, "started", job.retryCount);
        throw new Error("provider is down");
      },
  }),
  defineJob({
    // Fails its first attempt when its key says so; every attempt is recorded.
    name: "test.flaky",
    payload: keyed,
    retry: { retryLimit: 2, retryDelay: 1, retryBackoff: false },
    handler:
      async () =>
      async (payload, { db, job }) => {
        await record(db, payload.key, "started", job.retryCount);
        if (payload.key.startsWith("flaky") && job.retryCount === 0) throw new Error("flaked");
        await record(db, payload.key, "finished", job.retryCount);
      },
  }),
  defineJob({
    name: "test.cron",
    payload: z.object({}),
    cron: "* * * * *",
    retry: { retryLimit: 0, retryDelay: 1, retryBackoff: false },
    handler:
      async () =>
      async (_payload, { db, job }) => {
        await record(db, "cron", "finished", job.retryCount);
      },
  }),
);

/** pg-boss intervals short enough for tests: expiry and cron passes every second. */
export const fastIntervals = {
  pollingIntervalSeconds: 0.5,
  boss: {
    superviseIntervalSeconds: 1,
    monitorIntervalSeconds: 1,
    cronMonitorIntervalSeconds: 1,
    cronWorkerIntervalSeconds: 1,
  },
} as const;
