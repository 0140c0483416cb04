// Durable background work on the app's own database (pg-boss): a job is a row,
// so it can be written in the same transaction as the write that causes it,
// survives restarts, retries with backoff, and ends in a dead-letter queue the
// dashboard can list. Every node may run workers; each job runs on one of them.
import type { Database, Db, Tx } from "@netia/db";
import {
  type ConstructorOptions,
  type Job,
  type JobResult,
  type JobWithMetadata,
  PgBoss,
  type SendOptions,
} from "pg-boss";
import { afterOtherStarts, bossConnection, executorFor } from "./connection";
import type {
  AnyJobDefinition,
  JobContext,
  JobEnqueuer,
  JobHandler,
  JobName,
  JobPayload,
  JobRegistry,
  RetryPolicy,
} from "./define";
import { jobDefinitions, type NetiaJobs } from "./definitions/index";

/** Where every job whose retries ran out is kept, for the dashboard to list and redrive. */
export const DEAD_LETTER_QUEUE = "netia.dead-letter";

/** How long one attempt may run before it counts as lost (its node died) and is retried. */
const DEFAULT_EXPIRE_SECONDS = 15 * 60;

/** Jobs of a kind one worker loop fetches at once, unless the kind says otherwise. */
const DEFAULT_BATCH_SIZE = 5;

/** An attempt is failed this long (at most a tenth of its expiry) before it expires, so its batch answers in time. */
const EXPIRY_MARGIN_MS = 1_000;

export type JobsOptions<R extends JobRegistry> = {
  database: Database;
  /** What handlers are given: the runtime's database, logger and config. */
  context: JobContext;
  /** The job kinds; the app's registry unless a test brings its own. */
  definitions?: R;
  /** Run handlers on this node (false: enqueue only, e.g. a web node beside a worker). */
  work?: boolean;
  /**
   * Worker loops per job kind on this node (default 2); each runs up to the
   * kind's batch size at once.
   */
  concurrency?: number;
  /** How long `stop()` waits for running jobs before handing them back (default 20 s). */
  stopTimeoutMs?: number;
  /** Seconds between polls for due jobs (default 2); new jobs also wake workers at once. */
  pollingIntervalSeconds?: number;
  /** Overrides of job kinds' retry policies, by name (tests retry without waiting). */
  retry?: Record<string, Partial<RetryPolicy>>;
  /** pg-boss's own intervals, shortened by tests. */
  boss?: Pick<
    ConstructorOptions,
    | "superviseIntervalSeconds"
    | "monitorIntervalSeconds"
    | "cronMonitorIntervalSeconds"
    | "cronWorkerIntervalSeconds"
    | "queueCacheIntervalSeconds"
  >;
};

export type EnqueueOptions = {
  /** Overrides the definition's singleton key. */
  singletonKey?: string;
  /** Run no earlier than this (a Date, or seconds from now). */
  startAfter?: Date | number;
};

export type FailedJob = {
  /** The id of the job that failed. */
  id: string;
  name: string;
  data: unknown;
  /** Attempts made, the first included. */
  attempts: number;
  /** What the last attempt threw. */
  error: string | null;
  createdAt: Date;
  failedAt: Date;
};

export type JobsHealth = {
  up: boolean;
  queues: { name: string; queued: number; active: number; failed: number }[];
};

export type Jobs<R extends JobRegistry = NetiaJobs> = {
  /** Installs or upgrades the `pgboss` schema, creates the queues and schedules, starts workers. */
  start(): Promise<void>;
  /** Lets running jobs finish within the stop timeout; the rest go back to the queue. */
  stop(): Promise<void>;
  /**
   * Adds a job. Pass the transaction of the write that causes it: the job
   * then commits with that write or not at all. Returns the job id, or null
   * when the queue's singleton policy dropped it.
   */
  enqueue<N extends JobName<R>>(
    runner: Db | Tx,
    name: N,
    payload: JobPayload<R, N>,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /** Jobs whose retries ran out, newest first. */
  listFailedJobs(options?: { limit?: number }): Promise<FailedJob[]>;
  health(): Promise<JobsHealth>;
};

export function createJobs<R extends JobRegistry = NetiaJobs>(options: JobsOptions<R>): Jobs<R> {
  const definitions = (options.definitions ?? jobDefinitions) as R;
  const { database, context } = options;
  const logger = context.logger.child({ component: "jobs" });
  const polling = options.pollingIntervalSeconds ?? 2;
  const concurrency = options.concurrency ?? 2;
  const boss = new PgBoss({
    ...bossConnection(database),
    // The supervising pass is what fails an attempt whose node stopped sending
    // heartbeats (it died mid-job): every 10 s instead of pg-boss's minute, so
    // such a job is retried within about 20 s. One node does each pass.
    superviseIntervalSeconds: 10,
    monitorIntervalSeconds: 10,
    ...options.boss,
    schema: "pgboss",
    useListenNotify: true,
  });
  // Without a listener an "error" event would throw; these are transient (a lost connection, a
  // failed maintenance pass) and pg-boss retries on its own.
  boss.on("error", (err) => logger.warn({ err }, "job queue error"));
  boss.on("warning", (warning) => logger.warn({ warning }, "job queue warning"));
  const handlers = new Map<string, Promise<JobHandler<unknown>>>();
  let started = false;

  const definitionOf = (name: string): AnyJobDefinition => {
    const definition = definitions[name];
    if (!definition) throw new Error(`no job is defined as ${name}`);
    return definition;
  };
  const retryOf = (definition: AnyJobDefinition): RetryPolicy => ({
    ...definition.retry,
    ...options.retry?.[definition.name],
  });

  const handlerOf = (definition: AnyJobDefinition) => {
    let handler = handlers.get(definition.name);
    if (!handler) {
      handler = definition.handler();
      // A module that failed to load is tried again on the next job.
      handler.catch(() => handlers.delete(definition.name));
      handlers.set(definition.name, handler);
    }
    return handler;
  };

  async function createQueue(definition: AnyJobDefinition) {
    const queue = {
      policy: definition.policy ?? "standard",
      deadLetter: DEAD_LETTER_QUEUE,
      notify: true,
      expireInSeconds: definition.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS,
      ...(definition.heartbeatSeconds !== undefined && {
        heartbeatSeconds: definition.heartbeatSeconds,
      }),
      ...retryOf(definition),
    };
    // createQueue leaves an existing queue as it is; the update applies a changed definition.
    await boss.createQueue(definition.name, queue);
    const { policy: _fixed, deadLetter, ...changeable } = queue;
    await boss.updateQueue(definition.name, { ...changeable, deadLetter });
  }

  /** One attempt of one job; throws what the handler threw. */
  async function run(definition: AnyJobDefinition, job: Job<unknown>, signal: AbortSignal) {
    const jobLogger = logger.child({ job: definition.name, jobId: job.id });
    const handler = await handlerOf(definition);
    const payload = definition.payload.parse(job.data ?? {});
    try {
      await handler(payload, {
        ...context,
        logger: jobLogger,
        // Running jobs may add jobs (an email to send, a delivery to schedule).
        jobs: self as unknown as JobEnqueuer,
        job: {
          id: job.id,
          retryCount: job.retryCount,
          retryLimit: retryOf(definition).retryLimit,
          signal,
        },
      });
    } catch (err) {
      jobLogger.warn({ err, retryCount: job.retryCount }, "job attempt failed");
      throw err;
    }
  }

  /**
   * Each worker loop fetches up to the kind's batch size and runs the jobs
   * side by side, settling each on its own (pg-boss's per-job results): one
   * failure retries that job only. A full fetch is followed by the next at
   * once (burstWhenBatchFull). An attempt that outlives its expiry is failed
   * here, so the batch always answers before pg-boss's own timeout, which
   * would fail the whole batch, finished jobs included.
   */
  async function work(definition: AnyJobDefinition) {
    const batchSize = definition.batchSize ?? DEFAULT_BATCH_SIZE;
    const expiryMs = (definition.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS) * 1000;
    const attemptMs = expiryMs - Math.min(EXPIRY_MARGIN_MS, expiryMs / 10);
    await boss.work(
      definition.name,
      {
        batchSize,
        burstWhenBatchFull: true,
        perJobResults: true,
        localConcurrency: concurrency,
        pollingIntervalSeconds: polling,
        notifyPollingIntervalSeconds: polling,
      },
      (jobs) =>
        Promise.all(
          jobs.map(async (job): Promise<JobResult> => {
            // Aborted when pg-boss takes the job back (the node stops) or the attempt runs out of time.
            const expired = AbortSignal.timeout(attemptMs);
            const signal = AbortSignal.any([job.signal, expired]);
            try {
              await untilAborted(run(definition, job, signal), expired);
              return { id: job.id, status: "completed" };
            } catch (err) {
              return { id: job.id, status: "failed", output: failureOutput(err) };
            }
          }),
        ),
    );
  }

  const self: Jobs<R> = {
    async start() {
      await afterOtherStarts(database, async () => {
        await boss.start();
        await boss.createQueue(DEAD_LETTER_QUEUE, { retentionSeconds: 30 * 24 * 3600 });
        for (const definition of Object.values(definitions)) await createQueue(definition);
        for (const definition of Object.values(definitions)) {
          if (definition.cron) {
            await boss.schedule(definition.name, definition.cron, {}, { tz: "UTC" });
          }
        }
      });
      started = true;
      if (options.work === false) return;
      for (const definition of Object.values(definitions)) await work(definition);
    },

    async stop() {
      started = false;
      await boss.stop({ graceful: true, timeout: options.stopTimeoutMs ?? 20_000 });
    },

    async enqueue(runner, name, payload, enqueueOptions = {}) {
      // pg-boss needs its queue list in memory before a send: fetching it
      // inside a PGlite transaction would wait for that same transaction.
      if (!started) throw new Error("jobs: start() must finish before enqueue()");
      const definition = definitionOf(name);
      const data = definition.payload.parse(payload) as object;
      const send: SendOptions = { db: executorFor(runner) };
      const singletonKey = enqueueOptions.singletonKey ?? definition.singletonKey?.(data);
      if (singletonKey) send.singletonKey = singletonKey;
      if (enqueueOptions.startAfter !== undefined) send.startAfter = enqueueOptions.startAfter;
      return boss.send(name, data, send);
    },

    async listFailedJobs({ limit = 50 } = {}) {
      // findJobs pages oldest first; the newest are on the last page.
      const dead: JobWithMetadata<unknown>[] = [];
      for (let page = await boss.findJobs(DEAD_LETTER_QUEUE, { queued: true }); page.length > 0; ) {
        dead.push(...page);
        const after = page.at(-1)?.id;
        page = after ? await boss.findJobs(DEAD_LETTER_QUEUE, { queued: true, after }) : [];
      }
      const newest = dead.sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime());
      // Each copy carries where it came from: the original's queue, id, retries and last output.
      return newest.slice(0, limit).map(
        (job): FailedJob => ({
          id: job.sourceId ?? job.id,
          name: job.sourceName ?? DEAD_LETTER_QUEUE,
          data: job.data,
          attempts: (job.sourceRetryCount ?? 0) + 1,
          error: errorMessage(job.sourceOutput),
          createdAt: job.sourceCreatedOn ?? job.createdOn,
          failedAt: job.createdOn,
        }),
      );
    },

    async health() {
      if (!started) return { up: false, queues: [] };
      try {
        const queues = await boss.getQueues(Object.keys(definitions));
        return {
          up: true,
          queues: queues.map((q) => ({
            name: q.name,
            queued: q.queuedCount,
            active: q.activeCount,
            failed: q.failedCount,
          })),
        };
      } catch {
        return { up: false, queues: [] };
      }
    },
  };
  return self;
}

/** Settles as `work` does, or rejects once `expired` aborts (a handler that ignores its signal is left behind). */
async function untilAborted(work: Promise<void>, expired: AbortSignal): Promise<void> {
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error("job attempt ran out of time"));
    expired.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    expired.removeEventListener("abort", onAbort);
  }
}

/** What pg-boss stores as a failed attempt's output: the error's message and stack, as it does for a throw. */
function failureOutput(err: unknown): object {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { message: String(err) };
}

/** pg-boss stores what a failed attempt threw as a serialised error. */
function errorMessage(output: unknown): string | null {
  if (output && typeof output === "object" && "message" in output) {
    return String((output as { message: unknown }).message);
  }
  return output == null ? null : JSON.stringify(output);
}
