// Who is online: agents per account, customers per account. Each connection
// holds an entry that its node refreshes; entries of a node that died expire
// on their own, so presence stays right across nodes and crashes.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** How long an entry lives without a refresh; nodes refresh at a third of it. */
export const PRESENCE_TTL_MS = 30_000;

export interface PresenceStore {
  /** Marks `memberId` online in `key` for one connection; returns true if it just came online. */
  join(key: string, memberId: string): Promise<{ online: boolean; leave: () => Promise<boolean> }>;
  /** Members with at least one live connection. */
  list(key: string): Promise<string[]>;
  /**
   * Calls `listener` whenever the members of `key` change, including when a
   * dead node's entries expire. One timer per watched key per process.
   */
  watch(key: string, listener: (members: string[]) => void): () => void;
  close(): Promise<void>;
}

/** Polls watched keys every `intervalMs` and tells their listeners about changes. */
function watcher(list: (key: string) => Promise<string[]>, intervalMs: number) {
  type Watched = { listeners: Set<(m: string[]) => void>; last: string | null };
  const watched = new Map<string, Watched>();
  const poked = new Set<string>();
  const check = async (key: string) => {
    const w = watched.get(key);
    if (!w) return;
    const members = (await list(key).catch(() => null))?.sort();
    if (!members) return;
    const signature = members.join("\n");
    if (w.last === signature) return;
    const first = w.last === null;
    w.last = signature;
    if (!first) for (const l of [...w.listeners]) l(members);
  };
  const timer = setInterval(() => {
    for (const key of watched.keys()) void check(key);
  }, intervalMs);
  timer.unref();
  return {
    watch(key: string, listener: (m: string[]) => void) {
      let w = watched.get(key);
      if (!w) {
        w = { listeners: new Set(), last: null };
        watched.set(key, w);
        void check(key);
      }
      w.listeners.add(listener);
      return () => {
        w.listeners.delete(listener);
        if (w.listeners.size === 0 && watched.get(key) === w) watched.delete(key);
      };
    },
    /**
     * Re-checks a watched key soon after a local join or leave; a burst of
     * joins costs one check, not one each.
     */
    poke(key: string) {
      if (!watched.has(key) || poked.has(key)) return;
      poked.add(key);
      setTimeout(() => {
        poked.delete(key);
        void check(key);
      }, 50).unref();
    },
    stop: () => clearInterval(timer),
  };
}

type Entry = { key: string; member: string };

/** Keeps this node's entries alive while their connections are open. */
function refresher(ttlMs: number, refresh: (entries: Entry[]) => Promise<void>) {
  const entries = new Map<string, Entry>();
  const timer = setInterval(() => {
    if (entries.size) refresh([...entries.values()]).catch(() => {});
  }, ttlMs / 3);
  timer.unref();
  return { entries, stop: () => clearInterval(timer) };
}

const entryMember = (memberId: string, connectionId: string) => `${memberId}|${connectionId}`;
const memberOf = (entry: string) => entry.slice(0, entry.lastIndexOf("|"));

/**
 * One process: a count of open connections per member. Nothing expires,
 * since nothing outlives the process that holds it.
 */
export function createMemoryPresence(): PresenceStore {
  const counts = new Map<string, Map<string, number>>();
  const list = async (key: string) => [...(counts.get(key)?.keys() ?? [])];
  const watch = watcher(list, PRESENCE_TTL_MS / 3);
  return {
    watch: watch.watch,
    async join(key, memberId) {
      let members = counts.get(key);
      if (!members) {
        members = new Map();
        counts.set(key, members);
      }
      const before = members.get(memberId) ?? 0;
      members.set(memberId, before + 1);
      watch.poke(key);
      let left = false;
      return {
        online: before === 0,
        async leave() {
          if (left || !members) return false;
          left = true;
          const remaining = (members.get(memberId) ?? 1) - 1;
          if (remaining > 0) members.set(memberId, remaining);
          else members.delete(memberId);
          if (members.size === 0 && counts.get(key) === members) counts.delete(key);
          watch.poke(key);
          return remaining <= 0;
        },
      };
    },
    list,
    async close() {
      watch.stop();
    },
  };
}

/**
 * Entries live in one sorted set per key, scored by expiry time. `redis` is a
 * command connection the caller owns (and closes after this store).
 */
export function createRedisPresence(redis: Redis, ttlMs = PRESENCE_TTL_MS): PresenceStore {
  const zkey = (key: string) => `netia:presence:${key}`;
  const members = async (key: string) => {
    const now = Date.now();
    await redis.zremrangebyscore(zkey(key), "-inf", now);
    const live = await redis.zrangebyscore(zkey(key), now, "+inf");
    return live.map(memberOf);
  };
  const { entries, stop } = refresher(ttlMs, async (all) => {
    const expiry = Date.now() + ttlMs;
    const pipeline = redis.pipeline();
    for (const { key, member } of all) {
      pipeline.zadd(zkey(key), expiry, member);
      pipeline.pexpire(zkey(key), ttlMs * 2);
    }
    await pipeline.exec();
  });
  const list = async (key: string) => [...new Set(await members(key))];
  const watch = watcher(list, ttlMs / 3);
  return {
    watch: watch.watch,
    async join(key, memberId) {
      const before = await members(key);
      const entry = entryMember(memberId, randomUUID());
      await redis
        .multi()
        .zadd(zkey(key), Date.now() + ttlMs, entry)
        .pexpire(zkey(key), ttlMs * 2)
        .exec();
      entries.set(`${key} ${entry}`, { key, member: entry });
      watch.poke(key);
      return {
        online: !before.includes(memberId),
        async leave() {
          entries.delete(`${key} ${entry}`);
          await redis.zrem(zkey(key), entry);
          watch.poke(key);
          return !(await members(key)).includes(memberId);
        },
      };
    },
    list,
    async close() {
      stop();
      watch.stop();
      // Leave no entries behind for a graceful shutdown; a crash lets them expire.
      const all = [...entries.values()];
      if (all.length) {
        const pipeline = redis.pipeline();
        for (const { key, member } of all) pipeline.zrem(zkey(key), member);
        await pipeline.exec().catch(() => {});
      }
    },
  };
}
