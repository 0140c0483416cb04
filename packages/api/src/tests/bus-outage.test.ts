// While Redis is down, a send answers without waiting for it (the write is
// committed; publishing is not the sender's business), /api/health's readiness
// says the bus is down, and once Redis is back the message reaches the
// visitor and the agent watching on the other node. Redis here is a private
// server of this test's, killed and started again.
import { randomUUID } from "node:crypto";
import { type Runtime, readiness } from "@netia/runtime";
import { type PrivateRedis, startPrivateRedis } from "@netia/testkit/redis";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  client,
  createTestRuntime,
  newVisitor,
  openTestDatabase,
  signUpAccount,
  testConfig,
} from "../testing";
import { reader, subscriber } from "./streams";

let redis: PrivateRedis;
let nodeA: Runtime;
let nodeB: Runtime;
beforeAll(async () => {
  redis = await startPrivateRedis();
  // Two nodes: their own Redis connections, one database.
  const database = await openTestDatabase();
  const config = () => testConfig({ REDIS_URL: redis.url });
  nodeA = await createTestRuntime({ config: config(), database });
  nodeB = await createTestRuntime({ config: config(), database });
});
afterAll(async () => {
  await nodeA?.realtime.close();
  await nodeB?.realtime.close();
  await nodeA?.database.close();
  await redis?.kill();
});

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

it("answers sends while Redis is down and delivers them once it is back", async () => {
  const { admin, account } = await signUpAccount(nodeB);
  const visitor = await newVisitor(nodeB, account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "before the outage",
    clientMessageId: randomUUID(),
  });
  const onA = subscriber(nodeA, { widgetToken: visitor.sessionToken });
  const widget = reader(await onA.api.widget.events({ conversationId }), onA.stop);
  const agentOnA = subscriber(nodeA, { cookie: admin.cookieHeader() });
  const dashboard = reader(await agentOnA.api.dashboard.events({}), agentOnA.stop);
  await widget.until(() => widget.bodies().includes("before the outage"));

  await redis.kill();
  await waitFor(() => !nodeB.bus.connected() && !nodeA.bus.connected());
  expect((await readiness(nodeB)).events.up).toBe(false);

  // Redis stays down until both answers are in: were they waiting for it,
  // this would never return (the test times out).
  const agent = client(nodeB, { cookie: admin.cookieHeader() });
  const [sent, reply] = await Promise.all([
    visitor.widget.widget.sendMessage({
      conversationId,
      body: "during the outage",
      clientMessageId: randomUUID(),
    }),
    agent.messages.reply({ conversationId, body: "agent during the outage" }),
  ]);
  expect(sent.message.body).toBe("during the outage");
  expect(reply.body).toBe("agent during the outage");
  expect(nodeB.bus.connected()).toBe(false);
  expect((await readiness(nodeB)).events.up).toBe(false);

  await redis.start();
  const both = ["during the outage", "agent during the outage"];
  await widget.until(() => both.every((b) => widget.bodies().includes(b)), 20_000);
  await dashboard.until(() => both.every((b) => dashboard.bodies().includes(b)), 20_000);
  expect((await readiness(nodeB)).events.up).toBe(true);
  // Still once each, in seq order, for the visitor.
  const seqs = widget.messages().map((m) => m?.seq ?? 0);
  expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y));
  expect(widget.bodies().filter((b) => b === "during the outage")).toHaveLength(1);
  widget.stop();
  dashboard.stop();
});
