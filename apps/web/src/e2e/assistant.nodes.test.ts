// The AI assistant through real server processes: Netia nodes spawned with a
// provider key and OPENAI_BASE_URL pointing at the fake OpenAI server in this
// process, on a database of their own (the nodes run every ai.reply job they
// find, so they must not see other test files' queues) and the shared Redis.
// A visitor and an agent on real websockets see the reply stream; a node
// SIGKILLed mid-generation loses no reply and causes no second one, whether
// the job is retried by the restarted node or by the other node; bursts of
// customer messages through both nodes get one reply each.
//
// pg-boss notices a job whose heartbeat stopped in its maintenance pass, which
// every node runs once a minute. So that the tests wait seconds rather than a
// minute, this process runs one more queue instance on the same database that
// does that pass every second and runs no jobs: recovering the job is still
// the nodes' own work.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestRuntime, signUpAccount, testConfig } from "@netia/api/testing";
import { createDatabase, type Database, migrate, schema } from "@netia/db";
import { createJobs, type Jobs } from "@netia/jobs";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { type FakeOpenAI, lastUserText, startFakeOpenAI } from "@netia/testkit/openai";
import { createScratchDatabase, postgresReachable } from "@netia/testkit/postgres";
import { redisReachable, testRedisUrl } from "@netia/testkit/redis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  collector,
  type LiveClient,
  liveClient,
  type NetiaNode,
  SHARED_SECRET,
  startNode,
} from "./nodes";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "../..");
const ready = (await postgresReachable()) && (await redisReachable());
if (!ready && process.env.CI === "true") {
  throw new Error("the assistant's multi-node tests need Postgres and Redis; CI requires both");
}

/** What the tests read of the streams' events. */
type Ev = {
  type: string;
  conversationId?: string;
  sender?: { type: string; id: string; name?: string };
  streamId?: string;
  index?: number;
  delta?: string;
  message?: {
    id: string;
    body: string;
    type: string;
    senderType: string;
    metadata?: { streamId?: string; sources?: unknown } | null;
  };
};

/** A row id, checked before it goes into SQL text. */
function uuid(id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not an id: ${id}`);
  return id;
}

async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A promise with its resolve function, to hold the fake's answer until the test releases it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe.runIf(ready)("the assistant across real server processes", () => {
  let fake: FakeOpenAI;
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let rt: Runtime;
  let maintenance: Jobs;
  let nodeA: NetiaNode;
  let nodeB: NetiaNode;
  const clients: LiveClient[] = [];

  /** Each node has its own key, so the fake's requests tell which node sent them. */
  const env = (name: string) => ({
    DATABASE_URL: scratch.url,
    REDIS_URL: testRedisUrl,
    POOL_SIZE: "4",
    OPENAI_API_KEY: `sk-node-${name}`,
    OPENAI_BASE_URL: fake.url,
    // The job retries; the SDK's own retries would only hide what happens.
    LLM_MAX_RETRIES: "0",
  });
  const nodeOf = (i: number) =>
    fake.requests
      .filter((r) => r.path === "/v1/chat/completions")
      [i]?.headers.authorization?.replace("Bearer sk-node-", "");

  const open = (node: NetiaNode, auth: { cookie?: string; widgetToken?: string } = {}) => {
    const client = liveClient(node, auth);
    clients.push(client);
    return client;
  };

  async function rows<T>(query: string): Promise<T[]> {
    const result = (await rt.db.execute(query)) as unknown as { rows: T[] };
    return result.rows;
  }

  /** The customer-visible replies of the bot in a conversation. */
  const botReplies = (conversationId: string) =>
    rows<{ id: string; client_message_id: string; seq: number; metadata: Ev["message"] }>(
      `select id, client_message_id, seq, metadata from messages
        where conversation_id = '${uuid(conversationId)}' and sender_type = 'bot' and type = 'bot'
        order by seq`,
    );
  const replyRuns = (conversationId: string) =>
    rows<{ outcome: string; trigger_message_id: string | null; reply_message_id: string | null }>(
      `select outcome, trigger_message_id, reply_message_id from assistant_runs
        where conversation_id = '${uuid(conversationId)}' and kind = 'reply' order by created_at`,
    );
  /** Every ai.reply job of the conversation has finished. */
  const jobsSettled = (conversationId: string) =>
    until(
      () =>
        rows<{ state: string }>(
          `select state from pgboss.job where name = 'ai.reply'
            and data->>'conversationId' = '${uuid(conversationId)}'`,
        ),
      (jobs) => jobs.length > 0 && jobs.every((j) => j.state === "completed"),
    );

  /** An account with the assistant on (set through node A's API) and a visitor's session. */
  async function assistantAccount() {
    const { admin, account } = await signUpAccount(rt, "Acme Bikes");
    const cookie = admin.cookieHeader();
    await open(nodeA, { cookie }).trpc.assistant.updateSettings.mutate({
      enabled: true,
      botName: "Ada",
      businessName: "Acme Bikes",
      description: "We repair bicycles in Lyon.",
    });
    const visitor = await open(nodeA).trpc.widget.identify.mutate({
      accountToken: account.id,
      visitorId: `visitor-${randomUUID()}`,
    });
    return { account, cookie, visitor };
  }

  /** Sends a customer message through `node`'s websocket. */
  async function send(node: NetiaNode, widgetToken: string, body: string, conversationId?: string) {
    return open(node, { widgetToken }).trpc.widget.sendMessage.mutate({
      body,
      conversationId,
      clientMessageId: randomUUID(),
    });
  }

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    scratch = await createScratchDatabase("netia_assistant_nodes");
    database = createDatabase({ kind: "postgres", url: scratch.url, ssl: false, poolSize: 4 });
    await migrate(database);
    // Same secret as the nodes, so they accept the session cookies signed here.
    rt = await createTestRuntime({
      config: testConfig({ SECRET_KEY_BASE: SHARED_SECRET }),
      database,
      jobs: { work: false },
    });
    maintenance = createJobs({
      database,
      context: { db: rt.db, bus: rt.bus, logger: rt.logger, config: rt.config, ai: null },
      work: false,
      boss: { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 },
    });
    await maintenance.start();
    // Next.js serves one dev server per folder: two nodes need the production build.
    if (!existsSync(join(APP_DIR, ".next/BUILD_ID"))) {
      throw new Error("two Netia nodes need a production build of apps/web: run `pnpm build`");
    }
    const started = await Promise.allSettled([startNode("a", env("a")), startNode("b", env("b"))]);
    [nodeA, nodeB] = started.map((s) => (s.status === "fulfilled" ? s.value : undefined)) as [
      NetiaNode,
      NetiaNode,
    ];
    for (const s of started) if (s.status === "rejected") throw s.reason;
  }, 240_000);

  beforeEach(() => fake.reset());

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([nodeA?.stop("SIGKILL"), nodeB?.stop("SIGKILL")]);
    await maintenance?.stop();
    if (rt) await closeRuntime(rt);
    await fake?.close();
    await scratch?.drop();
  }, 60_000);

  it("streams typing, deltas and the cited reply to a visitor on node A and an agent on node B", async () => {
    const { account, cookie, visitor } = await assistantAccount();
    const [article] = await rt.db
      .insert(schema.knowledgeArticles)
      .values({
        accountId: account.id,
        title: "Prices",
        body: "A tune-up costs 40 euros and takes one day.",
        url: "https://acme.test/prices",
      })
      .returning();
    if (!article) throw new Error("no article");
    await rt.db.insert(schema.knowledgePassages).values({
      accountId: account.id,
      articleId: article.id,
      position: 0,
      heading: "Prices",
      body: article.body,
    });
    fake.onChat((body) =>
      lastUserText(body).startsWith("Tune-up")
        ? { chunks: ["A tune-up ", "costs 40 euros ", "[1]."], chunkDelayMs: 50 }
        : { content: "Hello! How can I help?" },
    );

    const agentEvents = collector<Ev>();
    open(nodeB, { cookie }).trpc.dashboard.events.subscribe({}, agentEvents);
    await agentEvents.until((e) => e.some((x) => x.type === "presence.snapshot"));

    // The first message opens the conversation; the visitor watches it from then on.
    const first = await send(nodeA, visitor.sessionToken, "Hello");
    const { conversationId } = first;
    await until(
      () => botReplies(conversationId),
      (r) => r.length === 1,
    );
    const visitorEvents = collector<Ev>();
    open(nodeA, { widgetToken: visitor.sessionToken }).trpc.widget.events.subscribe(
      { conversationId },
      visitorEvents,
    );
    await visitorEvents.until((e) => e.some((x) => x.type === "availability"));

    const question = await send(nodeA, visitor.sessionToken, "Tune-up prices?", conversationId);
    const isReply = (x: Ev) =>
      x.type === "message.created" && x.message?.body === "A tune-up costs 40 euros.";
    await visitorEvents.until((e) => e.some(isReply), 60_000);
    await agentEvents.until((e) => e.some(isReply), 30_000);

    for (const stream of [visitorEvents.events, agentEvents.events]) {
      // This reply's part of the stream: from the question to the reply.
      const start = stream.findIndex((x) => x.message?.id === question.message.id);
      const events = stream.slice(start);
      const typing = events.findIndex((x) => x.type === "typing" && x.sender?.type === "bot");
      const deltas = events.filter((x) => x.type === "assistant.delta");
      const final = events.find(isReply);
      expect(start).toBeGreaterThanOrEqual(0);
      expect(events[typing]?.sender).toEqual({ type: "bot", id: "assistant", name: "Ada" });
      expect(events.findIndex((x) => x.type === "assistant.delta")).toBeGreaterThan(typing);
      // The draft grows piece by piece, in order, into the model's text.
      expect(deltas.map((d) => d.index)).toEqual(deltas.map((_, i) => i));
      expect(deltas.map((d) => d.delta).join("")).toBe("A tune-up costs 40 euros [1].");
      expect(new Set(deltas.map((d) => d.streamId))).toEqual(new Set([deltas[0]?.streamId]));
      expect(final?.message?.metadata).toMatchObject({
        streamId: deltas[0]?.streamId,
        sources: [{ articleId: article.id, title: "Prices", url: "https://acme.test/prices" }],
      });
      expect(events.indexOf(final as Ev)).toBeGreaterThan(
        events.findLastIndex((x) => x.type === "assistant.delta"),
      );
    }

    // What the provider was asked: the business, the passage, the turns with their roles.
    const request = fake.chats.at(-1);
    const messages = request?.messages as { role: string; content: string }[];
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(messages[0]?.content).toContain("Acme Bikes");
    expect(messages[0]?.content).toContain("We repair bicycles in Lyon.");
    expect(messages[0]?.content).toContain("[1] Prices");
    expect(messages[0]?.content).toContain("A tune-up costs 40 euros and takes one day.");
    expect(messages.slice(1).map((m) => m.content)).toEqual([
      "Hello",
      "Hello! How can I help?",
      "Tune-up prices?",
    ]);
    await jobsSettled(conversationId);
    expect((await replyRuns(conversationId)).map((r) => r.outcome)).toEqual([
      "answered",
      "answered",
    ]);
  }, 120_000);

  it("answers each burst of messages sent through both nodes once, and no message twice", async () => {
    const { visitor } = await assistantAccount();
    const token = visitor.sessionToken;
    let burst = gate();
    // Every generation waits until the burst it belongs to has been sent, so
    // each burst overlaps a generation however slowly the machine runs.
    fake.onChat(async (body) => {
      await burst.opened;
      return { chunks: ["Got it: ", lastUserText(body)], chunkDelayMs: 50 };
    });
    const first = await send(nodeA, token, "burst 0 message 0");
    const { conversationId } = first;
    const lastOfBurst: string[] = [];
    const bursts = 3;
    for (let b = 0; b < bursts; b++) {
      if (b > 0) {
        burst = gate();
        await send(b % 2 ? nodeB : nodeA, token, `burst ${b} message 0`, conversationId);
      }
      let last = "";
      for (let m = 1; m < 5; m++) {
        const sent = await send(
          m % 2 ? nodeB : nodeA,
          token,
          `burst ${b} message ${m}`,
          conversationId,
        );
        last = sent.message.id;
      }
      lastOfBurst.push(last);
      burst.open();
      await until(
        () => botReplies(conversationId),
        (r) => r.length === b + 1,
      );
      await jobsSettled(conversationId);
    }

    const replies = await botReplies(conversationId);
    expect(replies).toHaveLength(bursts);
    // Each reply answers its whole burst: the newest message is its trigger.
    expect(replies.map((r) => r.client_message_id)).toEqual(
      lastOfBurst.map((id) => `bot:ai-reply:${id}`),
    );
    const runs = await replyRuns(conversationId);
    const answered = runs.filter((r) => r.outcome === "answered");
    expect(answered.map((r) => r.trigger_message_id)).toEqual(lastOfBurst);
    expect(answered.map((r) => r.reply_message_id)).toEqual(replies.map((r) => r.id));
    expect(runs.every((r) => r.outcome === "answered" || r.outcome === "skipped")).toBe(true);
    // The last burst's reply was written from all five of its messages.
    const turns = (fake.chats.at(-1)?.messages ?? []) as { role: string; content: string }[];
    expect(turns.filter((t) => t.role === "user").map((t) => t.content)).toEqual(
      expect.arrayContaining(
        Array.from({ length: 5 }, (_, m) => `burst ${bursts - 1} message ${m}`),
      ),
    );
  }, 120_000);

  /**
   * A customer message whose reply streams very slowly; resolves once the
   * visitor has seen the first piece of the draft (the job is mid-generation
   * on the node that sent the request).
   */
  async function stalledGeneration(visitorNode: NetiaNode) {
    const { visitor } = await assistantAccount();
    const subscribed = gate();
    let calls = 0;
    fake.onChat(async () => {
      if (calls++ > 0) return { content: "A tune-up costs 40 euros." };
      // Once the visitor watches, a reply so slow that it is still streaming when its node dies.
      await subscribed.opened;
      const words = Array.from({ length: 600 }, (_, i) => `word${i} `);
      return { chunks: ["Let me ", ...words], chunkDelayMs: 200 };
    });
    const sent = await send(visitorNode, visitor.sessionToken, "How much is a tune-up?");
    const { conversationId } = sent;
    const events = collector<Ev>();
    open(visitorNode, { widgetToken: visitor.sessionToken }).trpc.widget.events.subscribe(
      { conversationId },
      events,
    );
    await events.until((e) => e.some((x) => x.type === "availability"));
    subscribed.open();
    await events.until((e) => e.some((x) => x.type === "assistant.delta"), 60_000);
    expect(events.events.find((x) => x.type === "assistant.delta")?.delta).toBe("Let me ");
    const running = await rows<{ state: string }>(
      `select state from pgboss.job where name = 'ai.reply'
        and data->>'conversationId' = '${uuid(conversationId)}'`,
    );
    expect(running.map((j) => j.state)).toEqual(["active"]);
    return { conversationId, messageId: sent.message.id, visitor, events, generatedBy: nodeOf(0) };
  }

  /** Exactly one reply to the message, by a generation after the one that was cut. */
  async function expectOneReply(conversationId: string, messageId: string) {
    const [reply] = await until(
      () => botReplies(conversationId),
      (r) => r.length > 0,
      90_000,
    );
    await jobsSettled(conversationId);
    const replies = await botReplies(conversationId);
    expect(replies).toHaveLength(1);
    expect(reply?.client_message_id).toBe(`bot:ai-reply:${messageId}`);
    expect(await replyRuns(conversationId)).toEqual([
      { outcome: "answered", trigger_message_id: messageId, reply_message_id: reply?.id },
    ]);
    expect(fake.chats).toHaveLength(2);
    return reply;
  }

  it("retries on the other node a reply whose node was SIGKILLed mid-generation, and replies once", async () => {
    const { conversationId, messageId, visitor, events, generatedBy } =
      await stalledGeneration(nodeA);
    const cutStream = events.events.find((x) => x.type === "assistant.delta")?.streamId;
    const [doomed, survivor] = generatedBy === "a" ? [nodeA, nodeB] : [nodeB, nodeA];
    expect(doomed.name).toBe(generatedBy);
    await doomed.stop("SIGKILL");
    // The visitor watches on the node that is left.
    const watching = collector<Ev>();
    open(survivor, { widgetToken: visitor.sessionToken }).trpc.widget.events.subscribe(
      { conversationId },
      watching,
    );

    const reply = await expectOneReply(conversationId, messageId);
    expect(nodeOf(1)).toBe(survivor.name);
    const isReply = (x: Ev) => x.type === "message.created" && x.message?.id === reply?.id;
    await watching.until((e) => e.some(isReply), 30_000);
    const final = watching.events.find(isReply)?.message;
    expect(final?.body).toBe("A tune-up costs 40 euros.");
    // A new generation: the cut draft is not this reply's (clients drop it when it goes idle).
    expect(final?.metadata?.streamId).toEqual(expect.any(String));
    expect(final?.metadata?.streamId).not.toBe(cutStream);
    // The node stays down; the last test runs on the survivor alone.
    if (doomed === nodeA) [nodeA, nodeB] = [nodeB, nodeA];
  }, 150_000);

  it("retries after a restart a reply whose only node was SIGKILLed mid-generation, and replies once", async () => {
    // Node B was killed in the previous test: node A is the only one.
    expect(nodeB.child.signalCode).toBe("SIGKILL");
    const { conversationId, messageId, visitor, generatedBy } = await stalledGeneration(nodeA);
    expect(generatedBy).toBe(nodeA.name);
    await nodeA.stop("SIGKILL");
    nodeA = await startNode(nodeA.name, env(nodeA.name));

    await expectOneReply(conversationId, messageId);
    // The visitor, back on the restarted node, reads the one reply.
    const page = await open(nodeA, {
      widgetToken: visitor.sessionToken,
    }).trpc.widget.listMessages.query({
      conversationId,
      afterSeq: 0,
      limit: 50,
    });
    expect(page.items.map((m) => m.body)).toEqual([
      "How much is a tune-up?",
      "A tune-up costs 40 euros.",
    ]);
  }, 240_000);
});
