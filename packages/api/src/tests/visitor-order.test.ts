// A visitor's stream is exactly once and in seq order even when the bus
// delivers a conversation's messages out of commit order: publishes are
// delayed on purpose (one, then many at random), on one node and on two nodes
// relaying through Redis, and every visitor must receive every public message
// of its conversation once, in order.
import { randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import type { Payload } from "@netia/realtime";
import type { Runtime } from "@netia/runtime";
import { redisReachable, testRedisUrl } from "@netia/testkit/redis";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  client,
  createTestRuntime,
  newVisitor,
  signUpAccount,
  testConfig,
  testDatabaseKind,
} from "../testing";
import { delayingBus, reader, subscriber } from "./streams";

const twoNodes = testDatabaseKind() === "postgres" && (await redisReachable());
if (!twoNodes && process.env.CI === "true") {
  throw new Error("the two-node ordering test needs Postgres and Redis; CI requires both");
}

/** Public messages of a conversation in seq order, as Postgres has them. */
async function publicIds(rt: Runtime, conversationId: string) {
  const rows = await rt.db
    .select({ id: schema.messages.id })
    .from(schema.messages)
    .where(
      and(eq(schema.messages.conversationId, conversationId), eq(schema.messages.private, false)),
    )
    .orderBy(asc(schema.messages.seq));
  return rows.map((r) => r.id);
}

const isMessage = (p: Payload) => p.type === "message.created";

/**
 * Several visitors, each watching its conversation on `watcher`, while agents
 * and visitors write through `writer` (replies, notes and customer messages,
 * all at once) and every message's publish is held back 0–`maxDelayMs` at
 * random. Returns each visitor's stream and the conversation's messages.
 */
async function burst(watcher: Runtime, writer: Runtime, options: { maxDelayMs: number }) {
  const { admin, account } = await signUpAccount(writer);
  const agent = client(writer, { cookie: admin.cookieHeader() });
  const scenes = await Promise.all(
    Array.from({ length: 4 }, async (_, v) => {
      const visitor = await newVisitor(writer, account.id);
      const { conversationId } = await visitor.widget.widget.sendMessage({
        body: `visitor ${v} starts`,
        clientMessageId: randomUUID(),
      });
      const sub = subscriber(watcher, { widgetToken: visitor.sessionToken });
      const stream = reader(await sub.api.widget.events({ conversationId }), sub.stop);
      await stream.until(() => stream.messages().length === 1);
      return { visitor, conversationId, stream };
    }),
  );
  const original = writer.bus;
  writer.bus = delayingBus(original, (p) =>
    isMessage(p) ? Math.floor(Math.random() * options.maxDelayMs) : 0,
  );
  try {
    await Promise.all(
      scenes.flatMap(({ visitor, conversationId }, v) =>
        Array.from({ length: 15 }, (_, i) => [
          agent.messages.reply({ conversationId, body: `agent ${v}.${i}` }),
          visitor.widget.widget.sendMessage({
            conversationId,
            body: `visitor ${v}.${i}`,
            clientMessageId: randomUUID(),
          }),
          i % 3 === 0 ? agent.messages.note({ conversationId, body: `note ${v}.${i}` }) : null,
        ]).flat(),
      ),
    );
    for (const { conversationId, stream } of scenes) {
      const expected = await publicIds(writer, conversationId);
      expect(expected).toHaveLength(31);
      await stream.until(() => stream.messages().length >= expected.length, 15_000);
      // Anything late or repeated would show here, after the last one arrived.
      await new Promise((r) => setTimeout(r, options.maxDelayMs + 50));
      expect(stream.messages().map((m) => m?.id)).toEqual(expected);
      stream.stop();
    }
  } finally {
    writer.bus = original;
  }
}

describe("a visitor's stream when publishes arrive out of commit order (one node)", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createTestRuntime();
  });
  afterAll(async () => {
    await rt.database.close();
  });

  it("delivers a message whose publish was overtaken by the next one, once and in order", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "hello",
      clientMessageId: randomUUID(),
    });
    const sub = subscriber(rt, { widgetToken: visitor.sessionToken });
    const stream = reader(await sub.api.widget.events({ conversationId }), sub.stop);
    await stream.until(() => stream.bodies().includes("hello"));

    // The first reply commits first but reaches the bus after the second.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = rt.bus;
    rt.bus = {
      ...original,
      publish: async (channels, payload) => {
        const body = (payload.message as { body?: string } | undefined)?.body;
        if (body === "first") await held;
        return original.publish(channels, payload);
      },
    };
    try {
      const first = await admin.messages.reply({ conversationId, body: "first" });
      const second = await admin.messages.reply({ conversationId, body: "second" });
      expect(first.seq).toBeLessThan(second.seq);
      await stream.until(() => stream.bodies().includes("second"));
      release();
      await new Promise((r) => setTimeout(r, 100));
      expect(stream.bodies()).toEqual(["hello", "first", "second"]);
      // Each event's id is the seq delivered so far: a resume from it misses nothing.
      expect(stream.ids.at(-1)).toBe(String(second.seq));
    } finally {
      release();
      rt.bus = original;
      stream.stop();
    }
  });

  it("delivers every public message once and in order under random publish delays", async () => {
    await burst(rt, rt, { maxDelayMs: 40 });
  });
});

describe.runIf(twoNodes)(
  "a visitor's stream when publishes arrive out of commit order (two nodes, Redis)",
  () => {
    let nodeA: Runtime;
    let nodeB: Runtime;
    beforeAll(async () => {
      const config = () => testConfig({ REDIS_URL: testRedisUrl });
      [nodeA, nodeB] = await Promise.all([
        createTestRuntime({ config: config() }),
        createTestRuntime({ config: config() }),
      ]);
    });
    afterAll(async () => {
      for (const node of [nodeA, nodeB]) {
        await node?.realtime.close();
        await node?.database.close();
      }
    });

    it("delivers every public message written on B to visitors watching on A, once and in order", async () => {
      expect(nodeB.bus.kind).toBe("redis");
      await burst(nodeA, nodeB, { maxDelayMs: 40 });
    });
  },
);
