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
 * Two kinds of sorted set, both scored by expiry time: per key, its members
 * (`netia:presence:<key>`, scored by their newest connection's expiry), and
 * per member, its connections (`netia:presence:<key>:<member>`). Joining and
 * leaving touch one member's connections only, so they cost the same with ten
 * or ten thousand people online. `redis` is a command connection the caller
 * owns (and closes after this store).
 */
export function createRedisPresence(redis: Redis, ttlMs = PRESENCE_TTL_MS): PresenceStore {
  const membersKey = (key: string) => `netia:presence:${key}`;
  const connectionsKey = (key: string, memberId: string) => `netia:presence:${key}:${memberId}`;
  /** Connections of the member that have not expired. */
  const liveConnections = async (key: string, memberId: string) =>
    redis.zcount(connectionsKey(key, memberId), Date.now(), "+inf");
  const touch = (
    pipeline: ReturnType<Redis["multi"]>,
    { key, member, connection }: { key: string; member: string; connection: string },
  ) => {
    const expiry = Date.now() + ttlMs;
    pipeline
      .zadd(connectionsKey(key, member), expiry, connection)
      .pexpire(connectionsKey(key, member), ttlMs * 2)
      .zadd(membersKey(key), "GT", expiry, member)
      .pexpire(membersKey(key), ttlMs * 2);
  };
  const local = new Map<string, { key: string; member: string; connection: string }>();
  const timer = setInterval(() => {
    if (local.size === 0) return;
    const pipeline = redis.multi();
    for (const entry of local.values()) touch(pipeline, entry);
    pipeline.exec().catch(() => {});
  }, ttlMs / 3);
  timer.unref();
  const list = async (key: string) => {
    const now = Date.now();
    await redis.zremrangebyscore(membersKey(key), "-inf", now);
    return redis.zrangebyscore(membersKey(key), now, "+inf");
  };
  const watch = watcher(list, ttlMs / 3);
  return {
    watch: watch.watch,
    async join(key, memberId) {
      const entry = { key, member: memberId, connection: randomUUID() };
      const before = await liveConnections(key, memberId);
      const pipeline = redis.multi();
      touch(pipeline, entry);
      await pipeline.exec();
      local.set(`${key} ${memberId} ${entry.connection}`, entry);
      watch.poke(key);
      let left = false;
      return {
        online: before === 0,
        async leave() {
          if (left) return false;
          left = true;
          local.delete(`${key} ${memberId} ${entry.connection}`);
          await redis.zrem(connectionsKey(key, memberId), entry.connection);
          const gone = (await liveConnections(key, memberId)) === 0;
          if (gone) await redis.zrem(membersKey(key), memberId);
          watch.poke(key);
          return gone;
        },
      };
    },
    list,
    async close() {
      clearInterval(timer);
      watch.stop();
      // Leave no entries behind for a graceful shutdown; a crash lets them expire.
      const entries = [...local.values()];
      local.clear();
      if (entries.length) {
        const pipeline = redis.multi();
        for (const { key, member, connection } of entries) {
          pipeline.zrem(connectionsKey(key, member), connection);
        }
        await pipeline.exec().catch(() => {});
        for (const { key, member } of entries) {
          if ((await liveConnections(key, member).catch(() => 1)) === 0) {
            await redis.zrem(membersKey(key), member).catch(() => {});
          }
        }
      }
    },
  };
}
