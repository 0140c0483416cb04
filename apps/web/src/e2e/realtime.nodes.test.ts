// Two Netia server processes sharing one Postgres and one Redis: a visitor on
// node A and an agent on node B talk both ways; typing and presence cross
// nodes; clients that lose their connection (or their node) resume on the
// other node with every message exactly once, in order.
import { randomUUID } from "node:crypto";
import { createTestRuntime, signUpAccount, testConfig, testDatabaseKind } from "@netia/api/testing";
import { redisReachable, testRedisUrl } from "@netia/testkit/redis";
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
  message?: { id: string; seq: number; body: string; senderType: string; private: boolean };
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

  it("loses, repeats and reorders nothing for ten visitors when their node is killed during a burst", async () => {
    // Ten visitors and an agent watch on node C; everything is written through
    // node B, about 200 messages a second for 3 s; C is SIGKILLed halfway.
    const nodeC = await startNode("c", env());
    const clients: ReturnType<typeof liveClient>[] = [];
    const open = (node: NetiaNode, auth: { cookie?: string; widgetToken?: string }) => {
      const c = liveClient(node, auth);
      clients.push(c);
      return c;
    };
    try {
      const { cookie, account } = await scene(nodeB);
      const writerAgent = open(nodeB, { cookie });
      const visitors = await Promise.all(
        Array.from({ length: 10 }, async (_, v) => {
          const session = await open(nodeB, {}).trpc.widget.identify.mutate({
            accountToken: account.id,
            visitorId: `visitor-${randomUUID()}`,
          });
          const writer = open(nodeB, { widgetToken: session.sessionToken });
          const { conversationId } = await writer.trpc.widget.sendMessage.mutate({
            body: `visitor ${v} starts`,
            clientMessageId: randomUUID(),
          });
          const events = collector<Ev>();
          open(nodeC, { widgetToken: session.sessionToken }).trpc.widget.events.subscribe(
            { conversationId },
            events,
          );
          await events.until((e) => e.some((x) => x.type === "message.created"));
          return { session, writer, conversationId, before: events, after: collector<Ev>() };
        }),
      );
      const agentBefore = collector<Ev>();
      open(nodeC, { cookie }).trpc.dashboard.events.subscribe({}, agentBefore);
      await agentBefore.until((e) => e.some((x) => x.type === "presence.snapshot"));
      const agentAfter = collector<Ev>();

      const sends: Promise<unknown>[] = [];
      const started = Date.now();
      let killed = false;
      const total = 600;
      const send = (i: number) => {
        const { writer, conversationId } = visitors[i % visitors.length] as (typeof visitors)[0];
        const kind = i % 5;
        return kind === 4
          ? writerAgent.trpc.messages.note.mutate({ conversationId, body: `note ${i}` })
          : kind % 2 === 0
            ? writerAgent.trpc.messages.reply.mutate({ conversationId, body: `agent ${i}` })
            : writer.trpc.widget.sendMessage.mutate({
                conversationId,
                body: `visitor ${i}`,
                clientMessageId: randomUUID(),
              });
      };
      // Paced at 200 a second however late the timer fires: what is due goes out.
      while (sends.length < total) {
        const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * 200));
        while (sends.length < due) sends.push(send(sends.length));
        if (!killed && sends.length >= total / 2) {
          killed = true;
          await nodeC.stop("SIGKILL");
          // Everyone who watched on C comes back on B from the last event they got.
          open(nodeB, { cookie }).trpc.dashboard.events.subscribe(
            { lastEventId: agentBefore.state.lastEventId },
            agentAfter,
          );
          for (const v of visitors) {
            open(nodeB, { widgetToken: v.session.sessionToken }).trpc.widget.events.subscribe(
              { conversationId: v.conversationId, lastEventId: v.before.state.lastEventId },
              v.after,
            );
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(killed).toBe(true);
      // Every send was committed and acknowledged.
      const acknowledged = (await Promise.all(sends)).map(
        (r) => ((r as { message?: { id: string } }).message ?? (r as { id: string })).id,
      );
      expect(acknowledged).toHaveLength(total);

      for (const v of visitors) {
        // What the visitor must get: the conversation's public messages, in seq order.
        const expected: { id: string }[] = [];
        for (let afterSeq = 0; ; ) {
          const page = await v.writer.trpc.widget.listMessages.query({
            conversationId: v.conversationId,
            afterSeq,
            limit: 100,
          });
          expected.push(...page.items);
          if (!page.hasMore) break;
          afterSeq = page.items.at(-1)?.seq ?? afterSeq;
        }
        const received = () =>
          [...v.before.events, ...v.after.events]
            .filter((x) => x.type === "message.created")
            .map((x) => x.message?.id);
        // Then count: a shortfall is reported as lost messages, not a timeout.
        await v.after.until(() => received().length >= expected.length, 30_000).catch(() => {});
        await new Promise((r) => setTimeout(r, 200));
        const got = received();
        const lost = expected.filter((m) => !got.includes(m.id)).length;
        const repeated = got.length - new Set(got).size;
        const order = got.filter((id, k) => expected[k]?.id !== id).length;
        expect({ lost, repeated, outOfOrder: order }).toEqual({
          lost: 0,
          repeated: 0,
          outOfOrder: 0,
        });
      }
      // The agent's stream is at least once: every message, notes included, arrives.
      const agentGot = () =>
        new Set(
          [...agentBefore.events, ...agentAfter.events]
            .filter((x) => x.type === "message.created")
            .map((x) => x.message?.id),
        );
      await agentAfter.until(() => acknowledged.every((id) => agentGot().has(id)), 30_000);
    } finally {
      for (const c of clients) c.close();
      await nodeC.stop("SIGKILL");
    }
  }, 180_000);

  // Last: it kills node A.
  it("resumes on node B after node A is killed, every message exactly once, in order", async () => {
    await resumeScenario(async () => {
      await nodeA.stop("SIGKILL");
    });
  });
});
