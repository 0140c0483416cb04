import { Redis } from "ioredis";
import type { EventBus } from "./bus";
import { createMemoryBus } from "./memory-bus";
import { createMemoryPresence, createRedisPresence, type PresenceStore } from "./presence";
import { createRedisBus, type RedisBusOptions, redisOptions } from "./redis-bus";

export * from "./bus";
export * from "./iterate";
export { createMemoryBus } from "./memory-bus";
export * from "./presence";
export { checkRedis, createRedisBus, redisOptions } from "./redis-bus";

export type Realtime = {
  bus: EventBus;
  presence: PresenceStore;
  /** A command connection for other shared state (rate limits); absent without Redis. */
  redis: Redis | undefined;
  close(): Promise<void>;
};

/** Redis when a URL is configured (several nodes), else in-process (one node). */
export function createRealtime(
  redisUrl: string | undefined,
  options: RedisBusOptions = {},
): Realtime {
  if (!redisUrl) {
    const bus = createMemoryBus();
    const presence = createMemoryPresence();
    return {
      bus,
      presence,
      redis: undefined,
      async close() {
        await Promise.allSettled([bus.close(), presence.close()]);
      },
    };
  }
  const redis = new Redis(redisUrl, redisOptions(redisUrl));
  redis.on("error", (error: Error) => options.onError?.(error));
  const bus = createRedisBus(redisUrl, options);
  const presence = createRedisPresence(redis);
  return {
    bus,
    presence,
    redis,
    async close() {
      await Promise.allSettled([bus.close(), presence.close()]);
      await redis.quit().catch(() => {});
    },
  };
}
