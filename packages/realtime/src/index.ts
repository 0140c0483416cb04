import type { EventBus } from "./bus";
import { createMemoryBus } from "./memory-bus";
import { createMemoryPresence, createRedisPresence, type PresenceStore } from "./presence";
import { createRedisBus, type RedisBusOptions } from "./redis-bus";

export * from "./bus";
export * from "./iterate";
export { createMemoryBus } from "./memory-bus";
export * from "./presence";
export { checkRedis, createRedisBus } from "./redis-bus";

export type Realtime = { bus: EventBus; presence: PresenceStore };

/** Redis when a URL is configured (several nodes), else in-process (one node). */
export function createRealtime(
  redisUrl: string | undefined,
  options: RedisBusOptions = {},
): Realtime {
  if (!redisUrl) return { bus: createMemoryBus(), presence: createMemoryPresence() };
  return { bus: createRedisBus(redisUrl, options), presence: createRedisPresence(redisUrl) };
}
