// Everything a Netia process holds once: config, database, auth, logger and
// limits. The custom server and the Next.js route handlers may load this module
// twice (once bundled, once not), so the instance lives on globalThis.
import { type Config, loadConfig } from "@netia/config";
import {
  type Auth,
  type AuthHooks,
  announceAuthorityChange,
  createAuth,
  createLogger,
  createRateLimits,
  expireUnattachedUploads,
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
  return {
    config,
    database,
    db: database.db,
    auth: createAuth(database.db, config, hooks),
    logger,
    limits,
    bus: realtime.bus,
    presence: realtime.presence,
    realtime,
    stopUploadExpiry: startUploadExpiry(database.db, logger, config.unattachedUploadTtlHours),
  };
}

const GLOBAL_KEY = Symbol.for("netia.runtime");
type GlobalWithRuntime = typeof globalThis & { [GLOBAL_KEY]?: Promise<Runtime> };

/** The process-wide runtime: the one `setRuntime` installed, or one built from the environment. */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as GlobalWithRuntime;
  g[GLOBAL_KEY] ??= createRuntime({ config: loadConfig() });
  return g[GLOBAL_KEY];
}

export function setRuntime(runtime: Runtime): void {
  (globalThis as GlobalWithRuntime)[GLOBAL_KEY] = Promise.resolve(runtime);
}

/** How often each node looks for expired uploads (deleting them twice is harmless). */
const UPLOAD_EXPIRY_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Removes uploads that no message carries once they are `ttlHours` old, on a
 * timer (there is no job queue yet). unref(): it never keeps a process alive.
 */
function startUploadExpiry(db: Db, logger: Logger, ttlHours: number): () => void {
  const sweep = () =>
    expireUnattachedUploads(db, { olderThan: new Date(Date.now() - ttlHours * 3_600_000) }).then(
      (removed) => {
        if (removed > 0) logger.info({ removed }, "removed uploads never sent with a message");
      },
      (err: unknown) => logger.warn({ err }, "removing expired uploads failed"),
    );
  const timer = setInterval(sweep, UPLOAD_EXPIRY_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  runtime.stopUploadExpiry();
  await runtime.realtime.close();
  await runtime.database.close();
}

export type Readiness = {
  ready: boolean;
  database: { kind: Database["kind"]; up: boolean };
  events: { kind: EventBus["kind"]; up: boolean };
};

/**
 * Whether this node can serve traffic: its database answers and its event bus
 * is connected. A load balancer stops sending requests while it is not ready;
 * liveness (the process answers at all) is a separate, cheaper check.
 */
export async function readiness(runtime: Runtime): Promise<Readiness> {
  const databaseUp = await runtime.database.ping();
  const eventsUp = runtime.bus.connected();
  return {
    ready: databaseUp && eventsUp,
    database: { kind: runtime.database.kind, up: databaseUp },
    events: { kind: runtime.bus.kind, up: eventsUp },
  };
}
