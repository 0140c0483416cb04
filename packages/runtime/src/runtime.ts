// Everything a Netia process holds once: config, database, event bus, auth,
// logger, limits and background timers. Built in dependency order and closed in
// the reverse: background work stops before the connections it uses.
import type { Config } from "@netia/config";
import {
  type Auth,
  type AuthHooks,
  announceAuthorityChange,
  createAuth,
  createLogger,
  createRateLimits,
  type Logger,
  type RateLimitSettings,
  type RateLimits,
} from "@netia/core";
import { createDatabase, type Database, type Db, migrate } from "@netia/db";
import {
  checkRedis,
  createRealtime,
  type EventBus,
  type PresenceStore,
  type Realtime,
} from "@netia/realtime";
import { startUploadExpiry } from "./upload-expiry";

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
  /** Stops the periodic removal of uploads no message carries. */
  stopUploadExpiry: () => void;
};

export type RuntimeOptions = {
  config: Config;
  database?: Database;
  logger?: Logger;
  hooks?: Partial<AuthHooks>;
  rateLimits?: Partial<RateLimitSettings>;
  /** Apply pending migrations before anything else (default true). */
  migrate?: boolean;
};

export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  if (config.redisUrl) await checkRedis(config.redisUrl);
  const database = options.database ?? createDatabase(config.database);
  if (options.migrate !== false) await migrate(database);
  const realtime = createRealtime(config.redisUrl, {
    onError: (err) => logger.debug({ err }, "redis error"),
    onStateChange: (state) =>
      state === "down"
        ? logger.error("lost the connection to Redis; reconnecting")
        : logger.info("connection to Redis is back; subscribers resync"),
  });
  const hooks: AuthHooks = {
    async sendPasswordReset(email, url) {
      // The link holds a token that sets the password: in production it never
      // goes to the logs (they are shipped and kept). In development, without
      // a mail integration, the log is the only way to follow it.
      if (config.env === "production") {
        logger.warn(
          { email },
          "password reset requested; no mailer configured, so no link was sent",
        );
      } else {
        logger.warn(
          { email, url },
          "password reset requested; no mailer configured (development: link logged)",
        );
      }
    },
    sessionsRevoked: (userId) => announceAuthorityChange({ bus: realtime.bus, logger }, { userId }),
    ...options.hooks,
  };
  const limits = createRateLimits({ ...config.rateLimits, ...options.rateLimits }, realtime.redis);
  const auth = createAuth(database.db, config, hooks);
  // Background work starts last, once everything it uses exists (a job queue
  // belongs here too, as a member closed first in closeRuntime).
  const stopUploadExpiry = startUploadExpiry(database.db, logger, config.unattachedUploadTtlHours);
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
    stopUploadExpiry,
  };
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  // Background work first, so nothing starts on a connection being closed.
  runtime.stopUploadExpiry();
  await runtime.realtime.close();
  await runtime.database.close();
}
