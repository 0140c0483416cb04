// Slack outbound through the real router, install routes and job queue, with
// Slack's own client (@slack/web-api) talking to the fake Slack: installing
// through the consent screen and the callback, a widget conversation becoming
// a thread whose messages follow in order, the header following the
// dashboard's changes, a 429 storm and Slack's 500s delaying but never losing
// or reordering a post, a refused token asking for a reconnect, and alerts.
import { createBotMessage, createCustomerMessage } from "@netia/core";
import { schema } from "@netia/db";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { slackTokens } from "@netia/slack";
import { type FakeSlack, type FakeSlackMessage, startFakeSlack } from "@netia/testkit/slack";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleSlackCallback, handleSlackInstall } from "../slack-install";
import {
  type Client,
  client,
  createTestRuntime,
  newVisitor,
  signUpAccount,
  testConfig,
  tokenOfLink,
  uniqueEmail,
} from "../testing";

const WAIT = { timeout: 60_000, interval: 100 };
const CLIENT = { clientId: "1234.5678", clientSecret: "slack-client-secret" };
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

let rt: Runtime;
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack(CLIENT);
  rt = await createTestRuntime({
    config: testConfig({
      SLACK_CLIENT_ID: CLIENT.clientId,
      SLACK_CLIENT_SECRET: CLIENT.clientSecret,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl.replace(/\/$/, ""),
    }),
    jobs: { pollingIntervalSeconds: 0.5, retry: { "slack.sync-thread": { retryDelay: 1 } } },
  });
});
afterAll(async () => {
  await closeRuntime(rt);
  await fake.close();
});

let channels = 0;

/** The browser's path: install route → Slack's consent (the fake approves) → callback. */
async function installThroughConsent(admin: Client) {
  const headers = new Headers({ cookie: admin.cookieHeader() });
  const start = await handleSlackInstall(rt, {
    url: `${rt.config.appUrl}/api/integrations/slack/install`,
    headers,
  });
  expect(start.redirect.startsWith(`${fake.apiUrl.replace(/api\/$/, "")}oauth/v2/authorize?`)).toBe(
    true,
  );
  const consent = await fetch(start.redirect, { redirect: "manual" });
  expect(consent.status).toBe(302);
  const back = consent.headers.get("location") as string;
  expect(back.startsWith(`${rt.config.appUrl}/api/integrations/slack/callback?`)).toBe(true);
  const { redirect } = await handleSlackCallback(rt, { url: back, headers });
  return new URL(redirect);
}

/** An account with Slack installed and a channel of its own chosen. */
async function slackAccount(options: { mode?: "threads" | "alerts" } = {}) {
  const owner = await signUpAccount(rt);
  const redirect = await installThroughConsent(owner.admin);
  expect(redirect.pathname).toBe("/settings/integrations/slack");
  expect(redirect.searchParams.get("connected")).toBe(fake.team.name);
  const channel = fake.addChannel({ name: `support-${channels++}`, botIsMember: false });
  const chosen = await owner.admin.slack.chooseChannel({ channelId: channel.id });
  expect(chosen).toMatchObject({ channelId: channel.id, channelName: channel.name });
  if (options.mode) await owner.admin.slack.update({ mode: options.mode });
  return { ...owner, channel };
}

async function threadRow(conversationId: string) {
  const [row] = await rt.db
    .select()
    .from(schema.slackThreads)
    .where(eq(schema.slackThreads.conversationId, conversationId));
  return row;
}

/**
 * Waits until no sync job of the conversation is waiting, retrying or running:
 * whatever the last one did is then done (the test never races the job).
 */
async function syncSettled(conversationId: string) {
  await vi.waitFor(async () => {
    const result = (await rt.db.execute(
      sql`select count(*)::int as n from pgboss.job
          where name = 'slack.sync-thread' and singleton_key = ${conversationId}
            and state in ('created', 'retry', 'active')`,
    )) as unknown as { rows: { n: number }[] };
    expect(result.rows[0]?.n).toBe(0);
  }, WAIT);
}

async function conversationMessages(conversationId: string) {
  return rt.db
    .select({ id: schema.messages.id, seq: schema.messages.seq, body: schema.messages.body })
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
}

/** The thread's replies (not the header) as posted, in Slack's order. */
function replies(channel: string, threadTs: string): FakeSlackMessage[] {
  return fake.thread(channel, threadTs).filter((m) => m.ts !== threadTs);
}

/** What the header's buttons and facts say now. */
function headerOf(channel: string, ts: string) {
  const header = fake.message(channel, ts);
  const blocks = JSON.stringify(header?.blocks ?? []);
  return { text: header?.text ?? "", blocks, edits: header?.edits.length ?? 0 };
}

describe("installing", () => {
  it("stores the workspace's token encrypted and lists its channels for the picker", async () => {
    const owner = await signUpAccount(rt);
    const before = await owner.admin.slack.status();
    expect(before).toEqual({ configured: true, connection: null });

    await installThroughConsent(owner.admin);
    const [row] = await rt.db
      .select()
      .from(schema.slackConnections)
      .where(eq(schema.slackConnections.accountId, owner.account.id));
    expect(row?.botTokenEncrypted).not.toContain("xoxb-");
    expect(slackTokens.decrypt(rt.config.secretKeyBase, row?.botTokenEncrypted as string)).toMatch(
      /^xoxb-/,
    );
    expect(row?.connectedById).toBe(owner.user.id);

    const listed = fake.addChannel({ name: "zz-listed" });
    const available = await owner.admin.slack.channels();
    expect(available).toContainEqual({
      id: listed.id,
      name: "zz-listed",
      isPrivate: false,
      isMember: true,
    });
    const status = await owner.admin.slack.status();
    expect(status.connection).toMatchObject({
      teamName: fake.team.name,
      status: "active",
      mode: "threads",
      notePrefix: ";;",
      channelId: null,
    });
  });

  it("refuses a forged state and an agent, and a private channel the app was not invited to", async () => {
    const owner = await signUpAccount(rt);
    const headers = new Headers({ cookie: owner.admin.cookieHeader() });
    const forged = await handleSlackCallback(rt, {
      url: `${rt.config.appUrl}/api/integrations/slack/callback?code=${fake.authorize()}&state=abc.def`,
      headers,
    });
    expect(new URL(forged.redirect).searchParams.get("error")).toMatch(/invalid/);

    await installThroughConsent(owner.admin);
    const hidden = fake.addChannel({ name: "secret", isPrivate: true, botIsMember: false });
    await expect(owner.admin.slack.chooseChannel({ channelId: hidden.id })).rejects.toThrow(
      /Invite the Netia app to #secret/,
    );
    await expect(owner.admin.slack.update({ notePrefix: "a b" })).rejects.toThrow(/no spaces/);
  });
});

describe("threads", () => {
  it("a widget conversation becomes a thread whose messages follow in order, each marked", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "Hello, my order <#42> & more",
      clientMessageId: "m1",
    });
    await owner.admin.messages.reply({ conversationId, body: "Hi! Looking now." });
    await owner.admin.messages.note({ conversationId, body: "Order is stuck in the warehouse" });
    await createBotMessage(rt, {
      accountId: owner.account.id,
      conversationId,
      body: "Anything else I can help with?",
      idempotencyKey: `test-${conversationId}`,
    });
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "Thanks!",
      clientMessageId: "m2",
    });
    await syncSettled(conversationId);

    const thread = await threadRow(conversationId);
    expect(thread?.channelId).toBe(owner.channel.id);
    expect(thread?.threadTs).toBeTruthy();
    expect(thread?.lastError).toBeNull();
    const all = await conversationMessages(conversationId);
    expect(thread?.postedThroughSeq).toBe(all.at(-1)?.seq);

    // The bot joined the public channel by itself when it was chosen.
    expect(fake.channels.get(owner.channel.id)?.botIsMember).toBe(true);
    // One top-level message (the header), everything else in its thread, in order.
    expect(fake.channelMessages(owner.channel.id)).toHaveLength(1);
    const posted = replies(owner.channel.id, thread?.threadTs as string);
    expect(posted.map((m) => m.text)).toEqual([
      expect.stringMatching(/\(customer\)\*\nHello, my order &lt;#42&gt; &amp; more$/),
      expect.stringMatching(/\*Admin \(agent\)\*\nHi! Looking now\.$/),
      expect.stringMatching(/:lock: \*Admin \(private note\)\*\nOrder is stuck/),
      expect.stringMatching(/:robot_face: \*Bot\*\nAnything else/),
      expect.stringMatching(/\(customer\)\*\nThanks!$/),
    ]);
    // Each post is recorded against its message.
    const recorded = await rt.db
      .select({ ts: schema.slackMessages.ts, messageId: schema.slackMessages.messageId })
      .from(schema.slackMessages)
      .where(
        and(
          eq(schema.slackMessages.conversationId, conversationId),
          eq(schema.slackMessages.direction, "out"),
        ),
      );
    expect(new Set(recorded.map((r) => r.messageId))).toEqual(new Set(all.map((m) => m.id)));
    expect(new Set(recorded.map((r) => r.ts))).toEqual(new Set(posted.map((m) => m.ts)));

    const header = headerOf(owner.channel.id, thread?.threadTs as string);
    expect(header.blocks).toContain('"action_id":"netia_resolve"');
    expect(header.blocks).toContain(`"value":"${conversationId}"`);
  });

  it("a message that came from Slack is not posted back, and the mark moves past it", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "First",
      clientMessageId: "f1",
    });
    await syncSettled(conversationId);
    const thread = await threadRow(conversationId);
    // What the inbound half does with a thread reply: the message and its Slack ts together.
    const agentReply = await owner.admin.messages.reply({
      conversationId,
      body: "typed in Slack",
    });
    await rt.db.insert(schema.slackMessages).values({
      accountId: owner.account.id,
      channelId: owner.channel.id,
      ts: "1700000000.000100",
      conversationId,
      messageId: agentReply.id,
      direction: "in",
    });
    await syncSettled(conversationId);
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "Second",
      clientMessageId: "f2",
    });
    await syncSettled(conversationId);

    const texts = replies(owner.channel.id, thread?.threadTs as string).map((m) => m.text);
    expect(texts.some((t) => t.includes("typed in Slack"))).toBe(false);
    expect(texts.at(-1)).toMatch(/Second$/);
    const all = await conversationMessages(conversationId);
    expect((await threadRow(conversationId))?.postedThroughSeq).toBe(all.at(-1)?.seq);
  });

  it("closing, assigning and prioritising in the dashboard edit the header", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "Help",
      clientMessageId: "h1",
    });
    await syncSettled(conversationId);
    const ts = (await threadRow(conversationId))?.threadTs as string;
    expect(headerOf(owner.channel.id, ts).edits).toBe(0);

    await owner.admin.conversations.update({ id: conversationId, assigneeId: owner.user.id });
    await owner.admin.conversations.update({ id: conversationId, priority: "high" });
    await syncSettled(conversationId);
    let header = headerOf(owner.channel.id, ts);
    expect(header.blocks).toContain("Assignee: *Admin*");
    expect(header.blocks).toContain("Priority: *High*");

    await owner.admin.conversations.update({ id: conversationId, status: "closed" });
    await syncSettled(conversationId);
    header = headerOf(owner.channel.id, ts);
    expect(header.text).toContain("(Resolved)");
    expect(header.blocks).toContain('"action_id":"netia_reopen"');
    expect(header.blocks).not.toContain("netia_resolve");
    const updates = fake.requests.filter((r) => r.method === "chat.update" && r.params.ts === ts);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    // Only the header was edited: no new top-level message.
    expect(fake.channelMessages(owner.channel.id)).toHaveLength(1);
  });
});

describe("outbound reliability", () => {
  it("a 429 storm delays the posts but loses and reorders nothing", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "storm 0",
      clientMessageId: "s0",
    });
    await syncSettled(conversationId);
    const ts = (await threadRow(conversationId))?.threadTs as string;

    const storm = { calls: 0 };
    fake.rateLimitNext(8, 1, (method) => {
      if (method === "chat.postMessage") storm.calls++;
      return method === "chat.postMessage";
    });
    for (let i = 1; i <= 6; i++) {
      if (i % 2) {
        await visitor.widget.widget.sendMessage({
          conversationId,
          body: `storm ${i}`,
          clientMessageId: `s${i}`,
        });
      } else {
        await owner.admin.messages.reply({ conversationId, body: `storm ${i}` });
      }
    }
    await syncSettled(conversationId);

    // Every one of the storm's 429s was answered to a post, and waited out.
    expect(storm.calls).toBe(8);
    const bodies = (await conversationMessages(conversationId)).map((m) => m.body);
    const posted = replies(owner.channel.id, ts).map((m) => m.text.split("\n").at(-1));
    expect(posted).toEqual(bodies);
    const thread = await threadRow(conversationId);
    expect(thread?.lastError).toBeNull();
    expect(thread?.postedThroughSeq).toBe((await conversationMessages(conversationId)).at(-1)?.seq);
  });

  it("Slack's 500 is retried by the queue; the failure shows until a post succeeds", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "before trouble",
      clientMessageId: "t0",
    });
    await syncSettled(conversationId);
    const ts = (await threadRow(conversationId))?.threadTs as string;

    // The failures outlast the first attempt: the queue's retry posts it.
    let failures = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.onRequest = async (request) => {
      if (request.method !== "chat.postMessage") return undefined;
      if (failures < 2) {
        failures++;
        if (failures === 2) await released;
        return { kind: "http", status: 500 };
      }
      return undefined;
    };
    try {
      await visitor.widget.widget.sendMessage({
        conversationId,
        body: "during trouble",
        clientMessageId: "t1",
      });
      // The first failure is recorded for the dashboard before the retry.
      await vi.waitFor(async () => {
        expect((await threadRow(conversationId))?.lastError).toMatch(/HTTP 500/);
      }, WAIT);
      const failed = await owner.admin.slack.failedPosts();
      expect(failed).toEqual([
        expect.objectContaining({ conversationId, lastError: "Slack answered HTTP 500" }),
      ]);
      release();
      await syncSettled(conversationId);
    } finally {
      release();
      fake.onRequest = null;
    }
    expect(failures).toBe(2);
    const texts = replies(owner.channel.id, ts).map((m) => m.text.split("\n").at(-1));
    expect(texts).toEqual(["before trouble", "during trouble"]);
    expect((await threadRow(conversationId))?.lastError).toBeNull();
    expect(await owner.admin.slack.failedPosts()).toEqual([]);
  });

  it("a refused token marks the connection reconnect_required; reinstalling posts what waited", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "one",
      clientMessageId: "r1",
    });
    await syncSettled(conversationId);
    const ts = (await threadRow(conversationId))?.threadTs as string;

    fake.failNext(1, { kind: "error", error: "invalid_auth" }, (m) => m === "chat.postMessage");
    await visitor.widget.widget.sendMessage({ conversationId, body: "two", clientMessageId: "r2" });
    await syncSettled(conversationId);
    const status = await owner.admin.slack.status();
    expect(status.connection).toMatchObject({
      status: "reconnect_required",
      lastError: "Slack refused the token (invalid_auth)",
    });
    expect((await threadRow(conversationId))?.lastError).toMatch(/invalid_auth/);
    await expect(owner.admin.slack.channels()).rejects.toThrow(/reconnect/i);

    // The admin installs again: the same channel, and the message that waited goes out.
    const redirect = await installThroughConsent(owner.admin);
    expect(redirect.searchParams.get("connected")).toBe(fake.team.name);
    expect((await owner.admin.slack.status()).connection).toMatchObject({
      status: "active",
      channelId: owner.channel.id,
    });
    await syncSettled(conversationId);
    await vi.waitFor(async () => {
      expect((await threadRow(conversationId))?.lastError).toBeNull();
    }, WAIT);
    const texts = replies(owner.channel.id, ts).map((m) => m.text.split("\n").at(-1));
    expect(texts).toEqual(["one", "two"]);
  });

  it("a post Slack will never take is recorded and sent again on request", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const archived = owner.channel;
    fake.failNext(1, { kind: "error", error: "not_in_channel" }, (m) => m === "chat.postMessage");
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "lost?",
      clientMessageId: "p1",
    });
    await syncSettled(conversationId);
    expect(await owner.admin.slack.failedPosts()).toEqual([
      expect.objectContaining({ conversationId, lastError: "Slack said not_in_channel" }),
    ]);
    await owner.admin.slack.retryThread({ conversationId });
    await syncSettled(conversationId);
    expect(await owner.admin.slack.failedPosts()).toEqual([]);
    const ts = (await threadRow(conversationId))?.threadTs as string;
    expect(replies(archived.id, ts).map((m) => m.text.split("\n").at(-1))).toEqual(["lost?"]);
  });
});

describe("ordering under concurrent writes", () => {
  it("messages stored while a post is in flight follow it, in order, once each", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "m0",
      clientMessageId: "c0",
    });
    await syncSettled(conversationId);
    const ts = (await threadRow(conversationId))?.threadTs as string;

    // Slack holds the next post until the test has stored three more messages.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = false;
    let inFlight: () => void = () => {};
    const posting = new Promise<void>((resolve) => {
      inFlight = resolve;
    });
    fake.onRequest = async (request) => {
      if (request.method === "chat.postMessage" && !held) {
        held = true;
        inFlight();
        await released;
      }
      return undefined;
    };
    try {
      await visitor.widget.widget.sendMessage({
        conversationId,
        body: "m1",
        clientMessageId: "c1",
      });
      await posting;
      await owner.admin.messages.reply({ conversationId, body: "m2" });
      await visitor.widget.widget.sendMessage({
        conversationId,
        body: "m3",
        clientMessageId: "c3",
      });
      await owner.admin.messages.note({ conversationId, body: "m4" });
      release();
      await syncSettled(conversationId);
    } finally {
      release();
      fake.onRequest = null;
    }
    const texts = replies(owner.channel.id, ts).map((m) => m.text.split("\n").at(-1));
    expect(texts).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    const all = await conversationMessages(conversationId);
    expect((await threadRow(conversationId))?.postedThroughSeq).toBe(all.at(-1)?.seq);
  });

  it("snoozing shows in the header", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "later please",
      clientMessageId: "z1",
    });
    await syncSettled(conversationId);
    const ts = (await threadRow(conversationId))?.threadTs as string;
    await owner.admin.conversations.snooze({
      id: conversationId,
      until: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await syncSettled(conversationId);
    expect(headerOf(owner.channel.id, ts).blocks).toContain("Status: *Snoozed*");
  });
});

describe("support threads", () => {
  it("only the team's public replies go back to a shared channel's thread, under the agent's name", async () => {
    const owner = await slackAccount();
    const shared = fake.addChannel({ name: `acme-shared-${channels++}`, isShared: true });
    const guest = fake.addUser({ name: "carla", email: "carla@customer.test", teamId: "T0GUEST" });
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId, message } = await visitor.widget.widget.sendMessage({
      body: "posted in the shared channel",
      clientMessageId: "sc1",
    });
    // The conversation started in the widget and has its notification thread; from
    // here on it is a support channel's, as if the customer had started it there.
    await syncSettled(conversationId);
    // What the inbound half records for a customer's top-level message in a support channel.
    const { ts: threadTs } = fake.userPosts({
      user: guest.id,
      channel: shared.id,
      text: "posted in the shared channel",
    });
    const connection = await rt.db
      .select({ id: schema.slackConnections.id })
      .from(schema.slackConnections)
      .where(eq(schema.slackConnections.accountId, owner.account.id));
    // The customer's message is past the mark: it came from Slack.
    await rt.db
      .insert(schema.slackThreads)
      .values({
        conversationId,
        accountId: owner.account.id,
        connectionId: connection[0]?.id as string,
        kind: "support",
        channelId: shared.id,
        threadTs,
        postedThroughSeq: message.seq,
      })
      .onConflictDoUpdate({
        target: schema.slackThreads.conversationId,
        set: { kind: "support", channelId: shared.id, threadTs, postedThroughSeq: message.seq },
      });
    await syncSettled(conversationId);
    await owner.admin.messages.note({ conversationId, body: "internal: check the invoice" });
    await owner.admin.messages.reply({ conversationId, body: "We are on it, Carla." });
    await syncSettled(conversationId);

    const thread = fake.thread(shared.id, threadTs);
    expect(thread.map((m) => m.text)).toEqual([
      "posted in the shared channel",
      "We are on it, Carla.",
    ]);
    expect(thread[1]?.username).toBe("Admin");
    // Nothing about it went to the notification channel.
    expect(fake.channelMessages(owner.channel.id)).toHaveLength(1);
    expect(
      fake.messages.filter((m) => m.channel === owner.channel.id && m.text.includes("Carla")),
    ).toEqual([]);
  });
});

describe("conversations started in Slack", () => {
  it("get no thread in the notification channel: their thread is the shared channel's", async () => {
    const owner = await slackAccount();
    const visitor = await newVisitor(rt, owner.account.id);
    const [conversation] = await rt.db
      .insert(schema.conversations)
      .values({
        accountId: owner.account.id,
        inboxId: owner.inbox.id,
        customerId: visitor.customerId,
        channel: "slack",
      })
      .returning({ id: schema.conversations.id });
    const conversationId = conversation?.id as string;
    await createCustomerMessage(rt, {
      accountId: owner.account.id,
      inboxId: owner.inbox.id,
      customerId: visitor.customerId,
      conversationId,
      body: "from the shared channel",
      clientMessageId: "slack-1",
    });
    await syncSettled(conversationId);
    // The sync ran (the account has Slack) and chose to post nothing.
    const ran = (await rt.db.execute(
      sql`select state from pgboss.job where name = 'slack.sync-thread' and singleton_key = ${conversationId}`,
    )) as unknown as { rows: { state: string }[] };
    expect(ran.rows.map((r) => r.state)).toEqual(["completed"]);
    expect(await threadRow(conversationId)).toBeUndefined();
    expect(fake.channelMessages(owner.channel.id)).toEqual([]);
  });
});

describe("alerts mode", () => {
  it("posts a top-level message per customer message, without threads", async () => {
    const owner = await slackAccount({ mode: "alerts" });
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "Need help",
      clientMessageId: "a1",
    });
    await owner.admin.messages.reply({ conversationId, body: "On it" });
    await visitor.widget.widget.sendMessage({
      conversationId,
      body: "Still there?",
      clientMessageId: "a2",
    });
    await syncSettled(conversationId);

    const top = fake.channelMessages(owner.channel.id);
    expect(top.map((m) => m.text)).toEqual([
      expect.stringMatching(/^New conversation from \*Visitor\*.*\nNeed help$/),
      expect.stringMatching(/^New message from \*Visitor\*.*\nStill there\?$/),
    ]);
    expect(fake.messages.filter((m) => m.channel === owner.channel.id && m.threadTs)).toEqual([]);
    expect(top.every((m) => m.blocks === null)).toBe(true);
    const all = await conversationMessages(conversationId);
    expect((await threadRow(conversationId))?.postedThroughSeq).toBe(all.at(-1)?.seq);
  });
});

describe("permissions", () => {
  it("agents cannot read or change Slack settings; the server refuses them", async () => {
    const owner = await slackAccount();
    const { url } = await owner.admin.team.invite({
      email: uniqueEmail("slack-agent"),
      role: "agent",
    });
    const agent = client(rt);
    await agent.auth.acceptInvitation({
      token: tokenOfLink(url),
      name: "Agent",
      password: "agent password 1",
    });
    for (const call of [
      () => agent.slack.status(),
      () => agent.slack.channels(),
      () => agent.slack.chooseChannel({ channelId: owner.channel.id }),
      () => agent.slack.update({ mode: "alerts" }),
      () => agent.slack.disconnect(),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const denied = await handleSlackInstall(rt, {
      url: `${rt.config.appUrl}/api/integrations/slack/install`,
      headers: new Headers({ cookie: agent.cookieHeader() }),
    });
    expect(new URL(denied.redirect).searchParams.get("error")).toBe(
      "Only an admin can connect Slack",
    );
    expect((await owner.admin.slack.status()).connection?.mode).toBe("threads");
  });

  it("disconnecting forgets the workspace and revokes its token", async () => {
    const owner = await slackAccount();
    const [row] = await rt.db
      .select({ token: schema.slackConnections.botTokenEncrypted })
      .from(schema.slackConnections)
      .where(eq(schema.slackConnections.accountId, owner.account.id));
    const token = slackTokens.decrypt(rt.config.secretKeyBase, row?.token as string);
    await owner.admin.slack.disconnect();
    expect(await owner.admin.slack.status()).toEqual({ configured: true, connection: null });
    expect(fake.requests.filter((r) => r.method === "auth.revoke").map((r) => r.token)).toContain(
      token,
    );
    // Nothing follows the account's writes any more.
    const visitor = await newVisitor(rt, owner.account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "hi",
      clientMessageId: "d1",
    });
    await syncSettled(conversationId);
    expect(await threadRow(conversationId)).toBeUndefined();
  });
});
