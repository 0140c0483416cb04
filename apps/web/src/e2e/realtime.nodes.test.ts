// Two Netia server processes sharing one Postgres and one Redis: a visitor on
// node A and an agent on node B talk both ways; typing and presence cross
// nodes; clients that lose their connection (or their node) resume on the
// other node with every message exactly once, in order.
import { randomUUID } from "node:crypto";
import { createTestRuntime, signUpAccount } from "@netia/api/testing";
import { redisReachable, testConfig, testDatabaseKind, testRedisUrl } from "@netia/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { collector, liveClient, type NetiaNode, SHARED_SECRET, startNode } from "./nodes";

const REDIS_URL = testRedisUrl;
const databaseUrl = process.env.NETIA_TEST_DATABASE_URL;

const ready = testDatabaseKind() === "postgres" && (await redisReachable());
if (!ready && process.env.CI === "true") {
  throw new Error("multi-node tests need Postgres and Redis; CI requires both");
}

type Ev = {
  type: string;
  message?: { seq: number; body: string; senderType: string; private: boolean };
  conversationId?: string;
  sender?: { type: string; id: string };
  agentsOnline?: boolean;
  agents?: string[];
  customers?: string[];
  kind?: string;
  id?: string;
  online?: boolean;
};

/** Cuts every Redis connection opened by the given processes (named netia-<pid>). */
async function killRedisConnections(pids: (number | undefined)[]) {
  const { Redis } = await import("ioredis");
  const admin = new Redis(REDIS_URL);
  try {
    const names = new Set(pids.map((pid) => `netia-${pid}`));
    const list = (await admin.client("LIST")) as string;
    const ids = list
      .split("\n")
      .map((line) => Object.fromEntries(line.split(" ").map((kv) => kv.split("="))))
      .filter((c) => names.has(c.name))
      .map((c) => c.id as string);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    for (const id of ids) await admin.client("KILL", "ID", id);
  } finally {
    admin.disconnect();
  }
}

describe.runIf(ready)("realtime across two nodes", () => {
  let nodeA: NetiaNode;
  let nodeB: NetiaNode;
  let rt: Awaited<ReturnType<typeof createTestRuntime>>;
  const env = () => ({ DATABASE_URL: databaseUrl ?? "", REDIS_URL, POOL_SIZE: "4" });

  beforeAll(async () => {
    // Same secret as the nodes, so they accept the session cookies signed here.
    rt = await createTestRuntime({ config: testConfig({ SECRET_KEY_BASE: SHARED_SECRET }) });
    [nodeA, nodeB] = await Promise.all([startNode("a", env()), startNode("b", env())]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    await rt?.database.close();
  }, 30_000);

  /** An account with its admin's cookie, and a visitor identified on `node`. */
  async function scene(visitorNode: NetiaNode) {
    const { admin, account, user } = await signUpAccount(rt);
    const anonymous = liveClient(visitorNode);
    const visitor = await anonymous.trpc.widget.identify.mutate({
      accountToken: account.id,
      visitorId: `visitor-${randomUUID()}`,
    });
    anonymous.close();
    return { cookie: admin.cookieHeader(), account, user, visitor };
  }

  it("relays messages both ways, typing and presence between a visitor on A and an agent on B", async () => {
    const { cookie, user, visitor } = await scene(nodeA);
    const agent = liveClient(nodeB, { cookie });
    const customer = liveClient(nodeA, { widgetToken: visitor.sessionToken });
    const agentEvents = collector<Ev>();
    const agentSub = agent.trpc.dashboard.events.subscribe({}, agentEvents);
    await agentEvents.until((e) => e.some((x) => x.type === "presence.snapshot"));

    const sent = await customer.trpc.widget.sendMessage.mutate({
      body: "hello from node A",
      clientMessageId: randomUUID(),
    });
    await agentEvents.until((e) =>
      e.some((x) => x.type === "message.created" && x.message?.body === "hello from node A"),
    );
    await agentEvents.until((e) => e.some((x) => x.type === "conversation.created"));

    const customerEvents = collector<Ev>();
    const customerSub = customer.trpc.widget.events.subscribe(
      { conversationId: sent.conversationId },
      customerEvents,
    );
    // The agent is connected (on B), so the visitor on A sees someone is available.
    await customerEvents.until((e) => e.some((x) => x.type === "availability" && x.agentsOnline));
    // ...and the agent sees the customer come online.
    await agentEvents.until((e) =>
      e.some(
        (x) =>
          x.type === "presence" && x.kind === "customer" && x.id === visitor.customerId && x.online,
      ),
    );

    await customer.trpc.widget.typing.mutate({ conversationId: sent.conversationId });
    await agentEvents.until((e) =>
      e.some((x) => x.type === "typing" && x.sender?.type === "customer"),
    );
    await agent.trpc.conversations.typing.mutate({ conversationId: sent.conversationId });
    await customerEvents.until((e) =>
      e.some((x) => x.type === "typing" && x.sender?.type === "user" && x.sender.id === user.id),
    );

    await agent.trpc.messages.reply.mutate({
      conversationId: sent.conversationId,
      body: "hello from node B",
    });
    await agent.trpc.messages.note.mutate({
      conversationId: sent.conversationId,
      body: "private note from B",
    });
    await customerEvents.until((e) =>
      e.some((x) => x.type === "message.created" && x.message?.body === "hello from node B"),
    );
    await agentEvents.until((e) =>
      e.some((x) => x.type === "message.created" && x.message?.body === "private note from B"),
    );
    // The visitor never receives the private note, nor an agent's private typing.
    await agent.trpc.conversations.typing.mutate({
      conversationId: sent.conversationId,
      private: true,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(customerEvents.events.some((x) => x.message?.private)).toBe(false);
    expect(
      customerEvents.events.filter((x) => x.type === "typing" && x.sender?.type === "user"),
    ).toHaveLength(1);

    // When the agent leaves, the visitor learns nobody is available.
    agentSub.unsubscribe();
    agent.close();
    await customerEvents.until(
      (e) => e.at(-1)?.type === "availability" && e.at(-1)?.agentsOnline === false,
    );
    customerSub.unsubscribe();
    customer.close();
  });

  async function resumeScenario(
    breakConnection: (visitorClient: ReturnType<typeof liveClient>) => Promise<void>,
  ) {
    const { cookie, visitor } = await scene(nodeA);
    const customer = liveClient(nodeA, { widgetToken: visitor.sessionToken });
    const { conversationId } = await customer.trpc.widget.sendMessage.mutate({
      body: "start",
      clientMessageId: randomUUID(),
    });
    const first = collector<Ev>();
    const sub = customer.trpc.widget.events.subscribe({ conversationId }, first);
    await first.until((e) => e.some((x) => x.message?.body === "start"));

    // The agent keeps answering from node B while the visitor's connection breaks.
    const agent = liveClient(nodeB, { cookie });
    const total = 40;
    const sending = (async () => {
      for (let i = 0; i < total; i++) {
        await agent.trpc.messages.reply.mutate({ conversationId, body: `reply ${i}` });
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await first.until((e) => e.filter((x) => x.message?.body?.startsWith("reply")).length >= 5);
    sub.unsubscribe();
    await breakConnection(customer);
    const resumeFrom = first.state.lastEventId;
    expect(resumeFrom).not.toBeNull();

    // Reconnect to node B with the last event id.
    const again = liveClient(nodeB, { widgetToken: visitor.sessionToken });
    const second = collector<Ev>();
    const sub2 = again.trpc.widget.events.subscribe(
      { conversationId, lastEventId: resumeFrom },
      second,
    );
    await sending;
    await second.until((e) => e.some((x) => x.message?.body === `reply ${total - 1}`), 20_000);
    const bodies = [...first.events, ...second.events]
      .filter((x) => x.type === "message.created")
      .map((x) => x.message?.body);
    expect(bodies).toEqual(["start", ...Array.from({ length: total }, (_, i) => `reply ${i}`)]);
    sub2.unsubscribe();
    again.close();
    agent.close();
  }

  it("resumes on the other node after a dropped connection, every message exactly once, in order", async () => {
    await resumeScenario(async (client) => client.close());
  });

  it("rejects subscriptions without a valid token, to another visitor's conversation, and keeps tenants apart", async () => {
    const one = await scene(nodeA);
    const two = await scene(nodeA);
    const owner = liveClient(nodeA, { widgetToken: one.visitor.sessionToken });
    const { conversationId } = await owner.trpc.widget.sendMessage.mutate({
      body: "mine",
      clientMessageId: randomUUID(),
    });
    for (const auth of [
      {},
      { widgetToken: "forged-token" },
      { widgetToken: two.visitor.sessionToken },
    ]) {
      const intruder = liveClient(nodeB, auth);
      const events = collector<Ev>();
      intruder.trpc.widget.events.subscribe({ conversationId }, events);
      await expect(events.until(() => false, 5_000)).rejects.toMatchObject({
        data: { code: expect.stringMatching(/UNAUTHORIZED|NOT_FOUND/) },
      });
      expect(events.events).toEqual([]);
      intruder.close();
    }
    const nobody = liveClient(nodeB, { cookie: "netia.session_token=forged.value" });
    const nobodyEvents = collector<Ev>();
    nobody.trpc.dashboard.events.subscribe({}, nobodyEvents);
    await expect(nobodyEvents.until(() => false, 5_000)).rejects.toMatchObject({
      data: { code: "UNAUTHORIZED" },
    });
    nobody.close();

    // Account two's agent hears nothing of account one's traffic.
    const otherAgent = liveClient(nodeB, { cookie: two.cookie });
    const otherEvents = collector<Ev>();
    otherAgent.trpc.dashboard.events.subscribe({}, otherEvents);
    await otherEvents.until((e) => e.length > 0);
    await owner.trpc.widget.sendMessage.mutate({
      conversationId,
      body: "secret",
      clientMessageId: randomUUID(),
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(JSON.stringify(otherEvents.events)).not.toContain(conversationId);
    otherAgent.close();
    owner.close();
  });

  it("survives malformed frames, unknown procedures and oversized payloads", async () => {
    const raw = new WebSocket(nodeA.wsUrl);
    await new Promise((r, j) => {
      raw.once("open", r);
      raw.once("error", j);
    });
    const replies: string[] = [];
    raw.on("message", (d) => replies.push(d.toString()));
    raw.send("this is not json");
    raw.send(
      JSON.stringify({ id: 1, method: "query", params: { path: "no.such.procedure", input: {} } }),
    );
    raw.send(
      JSON.stringify({
        id: 2,
        method: "subscription",
        params: { path: "widget.events", input: 42 },
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(replies.join("\n")).toMatch(/NOT_FOUND|PARSE_ERROR|BAD_REQUEST/);
    const closed = new Promise<number>((r) => raw.once("close", (code) => r(code)));
    raw.send("x".repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    // The node is fine and serves everyone else.
    expect((await fetch(`${nodeA.httpUrl}/api/health`)).status).toBe(200);
    const { visitor } = await scene(nodeA);
    const ok = liveClient(nodeA, { widgetToken: visitor.sessionToken });
    expect(await ok.trpc.widget.conversations.query()).toEqual([]);
    ok.close();
  });

  it("keeps relaying after Redis drops every node's connections", async () => {
    const { cookie, visitor } = await scene(nodeA);
    const agent = liveClient(nodeB, { cookie });
    const customer = liveClient(nodeA, { widgetToken: visitor.sessionToken });
    const agentEvents = collector<Ev>();
    agent.trpc.dashboard.events.subscribe({}, agentEvents);
    await agentEvents.until((e) => e.some((x) => x.type === "presence.snapshot"));
    // Like a Redis restart, for these two nodes only (other tests share this Redis).
    await killRedisConnections([nodeA.child.pid, nodeB.child.pid]);
    // The dashboard is told to reload what it shows, then live events flow again.
    await agentEvents.until((e) => e.some((x) => x.type === "resync"), 20_000);
    await customer.trpc.widget.sendMessage.mutate({
      body: "after the outage",
      clientMessageId: randomUUID(),
    });
    await agentEvents.until((e) => e.some((x) => x.message?.body === "after the outage"), 20_000);
    agent.close();
    customer.close();
  });

  // Last: it kills node A.
  it("resumes on node B after node A is killed, every message exactly once, in order", async () => {
    await resumeScenario(async () => {
      await nodeA.stop("SIGKILL");
    });
  });
});
