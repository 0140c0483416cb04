import { Redis, type RedisOptions } from "ioredis";
import { type EventBus, type Listener, ListenerRegistry, type Payload } from "./bus";

export type RedisBusOptions = {
  onError?: (error: Error) => void;
  /** Called when the connection drops and when it is back, for logs and health. */
  onStateChange?: (state: "down" | "up") => void;
};

export function redisOptions(url: string): RedisOptions {
  return {
    // rediss:// turns TLS on by itself; keep reconnecting for as long as it takes.
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    maxRetriesPerRequest: 20,
    enableReadyCheck: true,
    lazyConnect: false,
    connectionName: `netia-${process.pid}`,
    ...(url.startsWith("rediss://") ? { tls: {} } : {}),
  };
}

/**
 * Fails fast at boot when Redis cannot be reached, with one line an operator
 * can act on; once running, the bus reconnects on its own for as long as it takes.
 */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<void> {
  const probe = new Redis(url, {
    ...redisOptions(url),
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
  });
  let lastError: Error | undefined;
  probe.on("error", (error: Error) => {
    lastError = error;
  });
  const { hostname, port } = new URL(url);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    const reason = (error as { code?: string }).code ?? lastError?.message ?? String(error);
    throw new Error(
      `cannot reach Redis at ${hostname}:${port || 6379} (${reason}): check REDIS_URL / REDIS_TLS_URL and that Redis is up`,
    );
  } finally {
    probe.disconnect();
  }
}

/**
 * Publishes made while Redis is unreachable wait in the client's offline queue
 * and go out, in order, once it is back; beyond this many they are dropped
 * (subscribers resync from Postgres after an outage), so memory stays bounded.
 */
export const MAX_QUEUED_PUBLISHES = 10_000;

export function createRedisBus(url: string, options: RedisBusOptions = {}): EventBus {
  // Queued publishes wait for the reconnection however long it takes (bounded
  // by MAX_QUEUED_PUBLISHES), instead of failing after a number of retries.
  const publisher = new Redis(url, { ...redisOptions(url), maxRetriesPerRequest: null });
  let queued = 0;
  const subscriber = new Redis(url, { ...redisOptions(url), autoResubscribe: true });
  const registry = new ListenerRegistry();
  const pending = new Map<string, Promise<unknown>>();
  const resyncListeners = new Set<() => void>();
  let wasDown = false;

  for (const connection of [publisher, subscriber]) {
    connection.on("error", (error: Error) => options.onError?.(error));
  }
  subscriber.on("close", () => {
    if (!wasDown) options.onStateChange?.("down");
    wasDown = true;
  });
  subscriber.on("ready", () => {
    if (!wasDown) return;
    wasDown = false;
    options.onStateChange?.("up");
    // ioredis has resubscribed every channel; what was published meanwhile is lost
    // to us, so subscribers re-read their state from Postgres.
    for (const listener of [...resyncListeners]) listener();
  });
  subscriber.on("message", (channel: string, message: string) => {
    let payload: Payload;
    try {
      payload = JSON.parse(message) as Payload;
    } catch {
      return;
    }
    registry.dispatch(channel, payload);
  });

  return {
    kind: "redis",
    async publish(channels, payload) {
      const offline = publisher.status !== "ready";
      if (offline && queued >= MAX_QUEUED_PUBLISHES) {
        throw new Error(
          `Redis is unreachable and ${queued} events already wait for it; event dropped`,
        );
      }
      if (offline) queued++;
      try {
        const message = JSON.stringify(payload);
        if (typeof channels === "string") {
          await publisher.publish(channels, message);
          return;
        }
        // One write to Redis for all of them, in order.
        const pipeline = publisher.pipeline();
        for (const channel of channels) pipeline.publish(channel, message);
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([error]) => error);
        if (failed?.[0]) throw failed[0];
      } finally {
        if (offline) queued--;
      }
    },
    async subscribe(channel: string, listener: Listener) {
      if (registry.add(channel, listener)) {
        pending.set(channel, subscriber.subscribe(channel));
      }
      try {
        await pending.get(channel);
      } catch (error) {
        registry.remove(channel, listener);
        throw error;
      }
      return () => {
        if (registry.remove(channel, listener)) {
          pending.delete(channel);
          subscriber.unsubscribe(channel).catch(() => {});
        }
      };
    },
    connected: () => publisher.status === "ready" && subscriber.status === "ready",
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    async close() {
      // QUIT would wait in the offline queue for a Redis that may never return.
      const end = (c: Redis) => (c.status === "ready" ? c.quit() : c.disconnect());
      await Promise.allSettled([end(publisher), end(subscriber)]);
    },
  };
}
