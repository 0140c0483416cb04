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
  receiveInboundEmail,
} from "@netia/core";
import { type Database, type Db, migrate } from "@netia/db";
import { type InboundSmtpListener, startInboundSmtpListener } from "@netia/email";
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
  /**
   * The inbound SMTP listener (docs/email-inbound.md), when INBOUND_SMTP_PORT
   * and INBOUND_EMAIL_DOMAIN are set; its `port` is the one it listens on.
   */
  inboundSmtp: InboundSmtpListener | null;
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
  /**
   * Listen for mail on INBOUND_SMTP_PORT: the server and `netia worker` do;
   * one-off commands (seed, migrations) and tests that do not ask do not.
   */
  listenForMail?: boolean;
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
  let inboundSmtp: InboundSmtpListener | null = null;
  try {
    await jobs.start();
    if (options.listenForMail)
      inboundSmtp = await startInboundSmtp({
        config,
        db: database.db,
        bus: realtime.bus,
        logger,
        jobs,
        ai,
      });
  } catch (error) {
    await jobs.stop().catch(() => {});
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
    inboundSmtp,
  };
}

/**
 * Mail for INBOUND_EMAIL_DOMAIN over SMTP, stored while the sender waits (a
 * failure answers 451 and the sender retries). Null when not configured.
 */
async function startInboundSmtp(deps: {
  config: Config;
  db: Db;
  bus: EventBus;
  logger: Logger;
  jobs: Jobs;
  ai: AiProvider | null;
}): Promise<InboundSmtpListener | null> {
  const { config, logger } = deps;
  const { inboundSmtpPort, inboundDomain } = config.email;
  if (inboundSmtpPort === null) return null;
  if (!inboundDomain) {
    logger.warn("INBOUND_SMTP_PORT is set without INBOUND_EMAIL_DOMAIN: no inbound SMTP listener");
    return null;
  }
  const settings = { secretKeyBase: config.secretKeyBase, inboundDomain };
  try {
    return await startInboundSmtpListener({
      port: inboundSmtpPort,
      host: config.host,
      domain: inboundDomain,
      logger,
      onMessage: async (raw, envelope) => {
        await receiveInboundEmail(
          { ...deps, settings },
          { raw, source: "smtp", envelopeTo: envelope.rcptTo },
        );
      },
    });
  } catch (error) {
    // Another Netia process on this machine (a server beside its worker)
    // already listens: mail still arrives, through that process.
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    logger.error(
      { port: inboundSmtpPort },
      "INBOUND_SMTP_PORT is taken by another process: this one does not receive mail",
    );
    return null;
  }
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  // Incoming mail first (senders retry what it no longer takes), then
  // background work, so nothing starts on a connection being closed.
  await runtime.inboundSmtp?.close();
  await runtime.jobs.stop();
  await runtime.realtime.close();
  await runtime.database.close();
}
