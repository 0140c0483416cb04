// Everything a Netia process holds once: config, database, event bus, auth,
// logger, limits and background jobs. Built in dependency order and closed in
// the reverse: background work stops before the connections it uses.
import { type AiProvider, createAiProvider } from "@netia/ai";
import type { Config } from "@netia/config";
import {
  type Auth,
  type AuthHooks,
  announceAuthorityChange,
  createAuth,
  createLogger,
  createRateLimits,
  type Logger,
  queuePasswordResetEmail,
  type RateLimitSettings,
  type RateLimits,
} from "@netia/core";
import { type Database, type Db, migrate } from "@netia/db";
import { createJobs, type Jobs, type JobsOptions, type NetiaJobs } from "@netia/jobs";
import {
  checkRedis,
  createRealtime,
  type EventBus,
  type PresenceStore,
  type Realtime,
} from "@netia/realtime";
import { openDatabase } from "./embedded-template";

export type Runtime = {
  config: Config;
  database: Database;
  db: Db;
  auth: Auth;
  logger: Logger;
  limits: RateLimits;
  /** Events to every node: in-process, or through Redis when REDIS_URL is set. */
  bus: EventBus;
  presence: PresenceStore;
  /** Owns the bus, presence and Redis connections; closed with the runtime. */
  realtime: Realtime;
  /**
   * Durable background work on the same database (packages/jobs): enqueue in
   * the transaction of the write that causes it. Runs handlers here unless
   * RUN_JOBS=false (a web node beside `netia worker` processes).
   */
  jobs: Jobs;
  /** The AI provider (OpenAI or compatible); null when OPENAI_API_KEY is not set. */
  ai: AiProvider | null;
};

export type RuntimeOptions = {
  config: Config;
  database?: Database;
  logger?: Logger;
  hooks?: Partial<AuthHooks>;
  rateLimits?: Partial<RateLimitSettings>;
  /** Apply pending migrations before anything else (default true). */
  migrate?: boolean;
  /** Overrides the provider made from config (null: the assistant is off). */
  ai?: AiProvider | null;
  /** Job queue tuning (tests poll faster); `work` overrides RUN_JOBS. */
  jobs?: Pick<
    JobsOptions<NetiaJobs>,
    "work" | "pollingIntervalSeconds" | "stopTimeoutMs" | "retry"
  >;
};

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.redisUrl) await checkRedis(config.redisUrl);
  const database = options.database ?? openDatabase(config.database);
  if (options.migrate !== false) await migrate(database);
  const realtime = createRealtime(config.redisUrl, {
    onError: (err) => logger.debug({ err }, "redis error"),
    onStateChange: (state) =>
      state === "down"
        ? logger.error("lost the connection to Redis; reconnecting")
        : logger.info("connection to Redis is back; subscribers resync"),
  });
  // Assigned below, once everything the handlers use exists; the hooks run later.
  let jobs: Jobs;
  const hooks: AuthHooks = {
    async sendPasswordReset(email, url) {
      const queued = await queuePasswordResetEmail(
        { db: database.db, jobs, from: config.email.from },
        { email, url },
      );
      // The link holds a token that sets the password: in production it never
      // goes to the logs (they are shipped and kept). In development the log
      // is the quickest way to follow it.
      const how = queued ? "emailed" : "no team to email it for";
      if (config.env === "production") {
        logger.warn({ email }, `password reset requested (${how})`);
      } else {
        logger.warn({ email, url }, `password reset requested (${how}; development: link logged)`);
      }
    },
    sessionsRevoked: (userId) => announceAuthorityChange({ bus: realtime.bus, logger }, { userId }),
    ...options.hooks,
  };
  const limits = createRateLimits({ ...config.rateLimits, ...options.rateLimits }, realtime.redis);
  const auth = createAuth(database.db, config, hooks);
  const ai = options.ai === undefined ? createAiProvider(config.llm) : options.ai;
  // Background work starts last, once everything it uses exists; closeRuntime
  // stops it first.
  jobs = createJobs({
    database,
    context: { db: database.db, bus: realtime.bus, logger, config, ai },
    work: config.runJobs,
    ...options.jobs,
  });
  try {
    await jobs.start();
  } catch (error) {
    await realtime.close().catch(() => {});
    if (!options.database) await database.close().catch(() => {});
    throw error;
  }
  return {
    config,
    database,
    db: database.db,
    auth,
    logger,
    limits,
    bus: realtime.bus,
    presence: realtime.presence,
    realtime,
    jobs,
    ai,
  };
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  // Background work first, so nothing starts on a connection being closed.
  await runtime.jobs.stop();
  await runtime.realtime.close();
  await runtime.database.close();
}
