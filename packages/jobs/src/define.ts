// A job kind is declared once: its name, the shape of its payload, how it
// retries, and a handler loaded only when a job of that kind first runs (so a
// process that only enqueues never loads provider SDKs). The registry lists
// every kind once, and `enqueue` takes its payload type from the job's name.
import type { AiProvider } from "@netia/ai";
import type { Config } from "@netia/config";
import type { Logger } from "@netia/core";
import type { Db, Tx } from "@netia/db";
import type { EventBus } from "@netia/realtime";
import type { z } from "zod";

/** What every handler is given by the process that runs it (the runtime or a worker). */
export type JobContext = {
  db: Db;
  /** Events to every node, e.g. a reply streamed to the widget while it is written. */
  bus: EventBus;
  logger: Logger;
  config: Config;
  /** The AI provider; null when OPENAI_API_KEY is not set. */
  ai: AiProvider | null;
};

export type RunningJob = {
  id: string;
  /** 0 on the first attempt, 1 on the first retry, and so on. */
  retryCount: number;
  /** The retries this kind allows: `retryCount === retryLimit` is the last attempt. */
  retryLimit: number;
  /** Aborted when the process stops and the job is handed back to the queue. */
  signal: AbortSignal;
};

/** Adds jobs from a running job; the payload is checked against its kind's schema. */
export type JobEnqueuer = {
  enqueue(
    runner: Db | Tx,
    name: string,
    payload: unknown,
    options?: { singletonKey?: string; startAfter?: Date | number },
  ): Promise<string | null>;
};

export type JobHandler<Payload> = (
  payload: Payload,
  context: JobContext & { job: RunningJob; jobs: JobEnqueuer },
) => Promise<void>;

export type RetryPolicy = {
  /** Retries after the first attempt; when they run out the job is dead-lettered. */
  retryLimit: number;
  /** Seconds before the first retry. */
  retryDelay: number;
  /** Double the delay on every retry (with jitter). */
  retryBackoff: boolean;
  /** Upper bound of the delay with backoff, in seconds. */
  retryDelayMax?: number;
};

/**
 * How jobs of one kind that share a singleton key coexist:
 * - `standard`: no limit (the key is informational);
 * - `short`: at most one waiting job per key (a second enqueue is dropped);
 * - `singleton`: at most one running job per key;
 * - `stately`: at most one waiting and one running job per key.
 */
export type QueuePolicy = "standard" | "short" | "singleton" | "stately";

export type JobDefinition<Name extends string = string, Schema extends z.ZodType = z.ZodType> = {
  name: Name;
  payload: Schema;
  retry: RetryPolicy;
  policy?: QueuePolicy;
  /** The singleton key of a job, derived from its payload (e.g. one per conversation). */
  singletonKey?: (payload: z.output<Schema>) => string;
  /**
   * A cron expression (UTC, minute resolution): the job is enqueued with an
   * empty payload once per slot across every node.
   */
  cron?: string;
  /**
   * How long one attempt may run before it counts as lost (its process died)
   * and is retried. Default 15 minutes.
   */
  expireInSeconds?: number;
  /**
   * Workers report every half of this while an attempt runs; an attempt that
   * misses it (its process died) is retried at once instead of after
   * `expireInSeconds`. At least 10; none: no heartbeat.
   */
  heartbeatSeconds?: number;
  /**
   * Jobs of this kind a worker takes in one fetch and runs side by side
   * (default 5). A fetch that came back full is followed by the next at once,
   * so a burst (a fan-out's deliveries, a sweep's emails) drains at the speed
   * of the work, not of polling. 1 for kinds whose work is heavy or must not
   * run many at once on a node (an AI reply).
   */
  batchSize?: number;
  handler: () => Promise<JobHandler<z.output<Schema>>>;
};

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every payload type.
export type AnyJobDefinition = JobDefinition<string, any>;

export type JobRegistry = Record<string, AnyJobDefinition>;

export type JobName<R extends JobRegistry> = keyof R & string;
export type JobPayload<R extends JobRegistry, N extends JobName<R>> = z.input<R[N]["payload"]>;

export function defineJob<const Name extends string, Schema extends z.ZodType>(
  definition: JobDefinition<Name, Schema>,
): JobDefinition<Name, Schema> {
  return definition;
}

/** The registry of `definitions`, keyed by name, so `enqueue` is typed by the job's name. */
export function jobRegistry<const D extends AnyJobDefinition[]>(
  ...definitions: D
): { [K in D[number]["name"]]: Extract<D[number], { name: K }> } {
  const registry: JobRegistry = {};
  for (const definition of definitions) {
    if (registry[definition.name]) throw new Error(`job ${definition.name} is defined twice`);
    registry[definition.name] = definition;
  }
  return registry as { [K in D[number]["name"]]: Extract<D[number], { name: K }> };
}
