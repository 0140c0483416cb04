import { randomUUID } from "node:crypto";
import { redisReachable, testRedisUrl } from "@netia/testkit/redis";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { EventBus, Payload } from "./bus";
import { createMemoryBus } from "./memory-bus";
import { createMemoryPresence, createRedisPresence, type PresenceStore } from "./presence";
import { createRedisBus } from "./redis-bus";

const REDIS_URL = testRedisUrl;
const redisUp = await redisReachable();
if (!redisUp && process.env.CI === "true")
  throw new Error(`Redis is not reachable at ${REDIS_URL}; CI requires it`);

const waitFor = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
};

function busContract(name: string, make: () => EventBus, enabled = true) {
  describe.runIf(enabled)(`${name} bus`, () => {
    const buses: EventBus[] = [];
    const bus = () => {
      const b = make();
      buses.push(b);
      return b;
    };
    afterAll(async () => {
      await Promise.all(buses.map((b) => b.close()));
    });

    it("delivers to every subscriber of a channel and to no other channel", async () => {
      const a = bus();
      const channel = `test:${randomUUID()}`;
      const got: Payload[] = [];
      const other: Payload[] = [];
      const off1 = await a.subscribe(channel, (p) => got.push(p));
      const off2 = await a.subscribe(channel, (p) => got.push(p));
      await a.subscribe(`${channel}:other`, (p) => other.push(p));
      await a.publish(channel, { n: 1, at: new Date(0) as unknown as string });
      await waitFor(() => got.length === 2);
      expect(got[0]).toEqual({ n: 1, at: "1970-01-01T00:00:00.000Z" });
      off1();
      await a.publish(channel, { n: 2 });
      await waitFor(() => got.length === 3);
      off2();
      await a.publish(channel, { n: 3 });
      await new Promise((r) => setTimeout(r, 100));
      expect(got.map((p) => p.n)).toEqual([1, 1, 2]);
      expect(other).toEqual([]);
    });

    it("publishes one payload to several channels, in order, to nobody else", async () => {
      const a = bus();
      const [first, second, third] = [1, 2, 3].map((n) => `test:${randomUUID()}:${n}`) as [
        string,
        string,
        string,
      ];
      const got: string[] = [];
      await a.subscribe(first, (p) => got.push(`first ${p.n}`));
      await a.subscribe(second, (p) => got.push(`second ${p.n}`));
      await a.subscribe(third, (p) => got.push(`third ${p.n}`));
      await a.publish([first, second], { n: 1 });
      await a.publish([second, first], { n: 2 });
      await waitFor(() => got.length === 4);
      await new Promise((r) => setTimeout(r, 100));
      expect(got).toEqual(["first 1", "second 1", "second 2", "first 2"]);
    });
  });
}

busContract("memory", createMemoryBus);
busContract("redis", () => createRedisBus(REDIS_URL), redisUp);

describe.runIf(redisUp)("redis bus across processes", () => {
  it("relays between two buses, one subscriber connection however many subscriptions", async () => {
    const a = createRedisBus(REDIS_URL);
    const b = createRedisBus(REDIS_URL);
    const admin = new Redis(REDIS_URL);
    try {
      const channel = `test:${randomUUID()}`;
      const got: Payload[] = [];
      const offs = await Promise.all(
        Array.from({ length: 50 }, () => b.subscribe(channel, (p) => got.push(p))),
      );
      const counts = (await admin.call("pubsub", "numsub", channel)) as [string, number];
      expect(Number(counts[1])).toBe(1);
      await a.publish(channel, { hello: "world" });
      await waitFor(() => got.length === 50);
      for (const off of offs) off();
      await waitFor(() => false, 200).catch(() => {});
      const after = (await admin.call("pubsub", "numsub", channel)) as [string, number];
      expect(Number(after[1])).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
      admin.disconnect();
    }
  });

  it("reconnects after the connection is killed, resubscribes, and asks subscribers to resync", async () => {
    const a = createRedisBus(REDIS_URL);
    const b = createRedisBus(REDIS_URL);
    const admin = new Redis(REDIS_URL);
    try {
      const channel = `test:${randomUUID()}`;
      const got: Payload[] = [];
      let resyncs = 0;
      b.onResync(() => resyncs++);
      await b.subscribe(channel, (p) => got.push(p));
      // Kill this process's subscriber connections (like a Redis restart), and
      // only those: other test files share this Redis.
      const list = (await admin.client("LIST")) as string;
      const mine = list
        .split("\n")
        .filter((line) => line.includes(`name=netia-${process.pid} `) && line.includes("sub=1"))
        .map((line) => /\bid=(\d+)/.exec(line)?.[1])
        .filter((id): id is string => !!id);
      expect(mine.length).toBeGreaterThan(0);
      for (const id of mine) await admin.client("KILL", "ID", id);
      await waitFor(() => resyncs === 1, 10_000);
      await a.publish(channel, { after: "reconnect" });
      await waitFor(() => got.length === 1);
      expect(got).toEqual([{ after: "reconnect" }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      admin.disconnect();
    }
  });
});

function presenceContract(name: string, make: (ttl: number) => PresenceStore, enabled = true) {
  describe.runIf(enabled)(`${name} presence`, () => {
    it("counts a member online while any of its connections lasts", async () => {
      const store = make(30_000);
      const key = `test:${randomUUID()}`;
      try {
        const first = await store.join(key, "agent-1");
        const second = await store.join(key, "agent-1");
        expect(first.online).toBe(true);
        expect(second.online).toBe(false);
        expect(await store.list(key)).toEqual(["agent-1"]);
        expect(await first.leave()).toBe(false);
        expect(await store.list(key)).toEqual(["agent-1"]);
        expect(await second.leave()).toBe(true);
        expect(await store.list(key)).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
}

presenceContract("memory", () => createMemoryPresence());
presenceContract(
  "redis",
  (ttl) => {
    const redis = new Redis(REDIS_URL);
    const store = createRedisPresence(redis, ttl);
    return {
      ...store,
      close: async () => {
        await store.close();
        redis.disconnect();
      },
    };
  },
  redisUp,
);

describe.runIf(redisUp)("presence across nodes", () => {
  it("counts one member online however many nodes hold its connections", async () => {
    const [ra, rb] = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    const [a, b] = [createRedisPresence(ra), createRedisPresence(rb)];
    const key = `test:${randomUUID()}`;
    try {
      const onA = await a.join(key, "agent-1");
      const onB = await b.join(key, "agent-1");
      await b.join(key, "agent-2");
      expect([onA.online, onB.online]).toEqual([true, false]);
      expect((await a.list(key)).sort()).toEqual(["agent-1", "agent-2"]);
      expect(await onA.leave()).toBe(false);
      expect(await onB.leave()).toBe(true);
      expect(await b.list(key)).toEqual(["agent-2"]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      ra.disconnect();
      rb.disconnect();
    }
  });
});

describe.runIf(redisUp)("presence after a node dies", () => {
  it("forgets a dead node's members once their entries expire, and tells watchers", async () => {
    const admin = new Redis(REDIS_URL);
    const watcher = createRedisPresence(admin, 600);
    const key = `test:${randomUUID()}`;
    try {
      const changes: string[][] = [];
      const unwatch = watcher.watch(key, (m) => changes.push(m));
      await new Promise((r) => setTimeout(r, 50));
      // What a node leaves behind when it is killed: entries nobody refreshes.
      const expiry = Date.now() + 600;
      await admin.zadd(`netia:presence:${key}:agent-1`, expiry, "dead-connection");
      await admin.zadd(`netia:presence:${key}`, expiry, "agent-1");
      await waitFor(() => changes.some((c) => c.includes("agent-1")), 3_000);
      expect(await watcher.list(key)).toEqual(["agent-1"]);
      await waitFor(() => changes.at(-1)?.length === 0, 5_000);
      expect(await watcher.list(key)).toEqual([]);
      unwatch();
    } finally {
      await watcher.close();
      admin.disconnect();
    }
  });
});
