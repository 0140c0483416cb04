// Signed requests that may be accepted once: a signature covers a timestamp,
// so within its time window a captured request could be sent again as it is.
// Each accepted one is claimed here by a key (its token or signature) for a
// little longer than the window; a second claim is refused. Shared through
// Redis between nodes; in memory on a single node.
import type { Runtime } from "@netia/runtime";

export type UsedOnce = {
  /** True the first time `key` is claimed (within `ttlSeconds`), false after. */
  claim(key: string): Promise<boolean>;
  /** Lets `key` be claimed again: the request was not kept after all, its sender retries. */
  release(key: string): Promise<void>;
};

const memory = new WeakMap<Runtime, Map<string, number>>();

export function usedOnce(rt: Runtime, namespace: string, ttlSeconds: number): UsedOnce {
  const redis = rt.realtime.redis;
  if (redis) {
    const key = (k: string) => `netia:${namespace}:${k}`;
    return {
      claim: async (k) => (await redis.set(key(k), "1", "EX", ttlSeconds, "NX")) === "OK",
      release: async (k) => {
        await redis.del(key(k));
      },
    };
  }
  const claimed = memory.get(rt) ?? new Map<string, number>();
  memory.set(rt, claimed);
  const key = (k: string) => `${namespace}:${k}`;
  return {
    async claim(k) {
      const now = Date.now();
      for (const [c, expires] of claimed) if (expires < now) claimed.delete(c);
      if (claimed.has(key(k))) return false;
      claimed.set(key(k), now + ttlSeconds * 1000);
      return true;
    },
    async release(k) {
      claimed.delete(key(k));
    },
  };
}
