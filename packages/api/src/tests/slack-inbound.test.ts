// What Slack sends to Netia, end to end: signed Events API and interactivity
// requests (made by the fake Slack the way Slack makes them) go to the real
// route handlers behind a local HTTP server, are stored once and handled by
// the slack.handle-event job, which reads people through the real
// @slack/web-api client against the fake. Covers the signature checks, Slack's
// retries, thread replies reaching the visitor's widget live (or staying
// private notes), the Resolve/Reopen buttons and shared support channels.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { installSlackForTest } from "@netia/slack/testing";
import {
  blockActions,
  eventCallback,
  type FakeSlack,
  type FakeSlackChannel,
  sendEvent,
  sendInteraction,
  signedHeaders,
  startFakeSlack,
  urlVerification,
} from "@netia/testkit/slack";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { handleSlackEvents, handleSlackInteractivity } from "../slack-requests";
import { createTestRuntime, newVisitor, signUpAccount, testConfig } from "../testing";
import { reader, subscriber } from "./streams";

const SIGNING_SECRET = "slack-signing-secret-for-tests";
const CLIENT = { clientId: "1.2", clientSecret: "client-secret" };
const WAIT = { timeout: 15_000, interval: 50 };

let rt: Runtime;
let fake: FakeSlack;
let http: Server;
let eventsUrl: string;
let interactivityUrl: string;

beforeAll(async () => {
  fake = await startFakeSlack(CLIENT);
  rt = await createTestRuntime({
    config: testConfig({
      SLACK_CLIENT_ID: CLIENT.clientId,
      SLACK_CLIENT_SECRET: CLIENT.clientSecret,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl.replace(/\/$/, ""),
    }),
    jobs: { pollingIntervalSeconds: 0.5 },
  });
  // The routes of apps/web (api/slack/events, api/slack/interactivity) behind a plain HTTP server.
  http = createServer((req, res) => {
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    const handle = req.url?.endsWith("/interactivity")
      ? handleSlackInteractivity
      : handleSlackEvents;
    void handle(rt, request).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/slack`;
  eventsUrl = `${base}/events`;
  interactivityUrl = `${base}/interactivity`;
});

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await rt?.jobs.stop();
  await rt?.database.close();
  await fake?.close();
});

/** Waits until no sync job of the conversation is waiting, retrying or running. */
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

async function threadRow(conversationId: string) {
  const [row] = await rt.db
    .select()
    .from(schema.slackThreads)
    .where(eq(schema.slackThreads.conversationId, conversationId));
  return row;
}

/**
 * An account with the fake's workspace installed and a visitor's widget
 * conversation, which the thread job has posted to the channel: its header
 * and the visitor's message in the thread.
 */
async function conversationInSlack() {
  const owner = await signUpAccount(rt);
  const channel = fake.addChannel({ name: `support-${randomUUID().slice(0, 6)}` });
  // One account per workspace: each test has the fake's workspace to itself.
  await rt.db
    .delete(schema.slackConnections)
    .where(eq(schema.slackConnections.teamId, fake.team.id));
  const connection = await installSlackForTest({ db: rt.db, config: rt.config }, fake, {
    accountId: owner.account.id,
    channel: { id: channel.id, name: channel.name },
  });
  const visitor = await newVisitor(rt, owner.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "My invoice is wrong",
    clientMessageId: randomUUID(),
  });
  await syncSettled(conversationId);
  const threadTs = (await threadRow(conversationId))?.threadTs as string;
  expect(
    fake
      .thread(channel.id, threadTs)
      .map((m) => m.text)
      .join("\n"),
  ).toContain("My invoice is wrong");
  return { ...owner, connection, channel, visitor, conversationId, threadTs };
}

async function slackEventRows(slackId: string) {
  return rt.db.select().from(schema.slackEvents).where(eq(schema.slackEvents.slackId, slackId));
}

/** Waits until the job handled the request Slack sent with this id; returns what it did. */
async function handled(slackId: string): Promise<string> {
  return vi.waitFor(async () => {
    const [row] = await slackEventRows(slackId);
    if (!row?.processedAt) throw new Error(`slack request ${slackId} not handled yet`);
    return row.outcome ?? "";
  }, WAIT);
}

/** A person writes in Slack; Slack sends the event, signed; returns its id once handled. */
async function post(input: {
  user: string;
  channel: FakeSlackChannel;
  text: string;
  threadTs?: string;
}) {
  const { ts, envelope } = fake.userPosts({ ...input, channel: input.channel.id });
  const response = await sendEvent(eventsUrl, SIGNING_SECRET, envelope);
  expect(response.status).toBe(200);
  return { ts, envelope, outcome: await handled(envelope.event_id) };
}

describe("requests Slack sends", () => {
  it("answers the url_verification challenge", async () => {
    const challenge = urlVerification();
    const response = await sendEvent(eventsUrl, SIGNING_SECRET, challenge);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: challenge.challenge });
  });

  it("refuses a bad signature, an old timestamp and a replayed request with 401, storing nothing", async () => {
    const envelope = eventCallback(fake.team.id, {
      type: "message",
      channel: "C1",
      text: "x",
      ts: "1.1",
    });
    const body = JSON.stringify(envelope);
    const refused = async (headers: Record<string, string>) => {
      const response = await fetch(eventsUrl, { method: "POST", headers, body });
      expect(response.status).toBe(401);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await refused(signedHeaders("not-the-secret", body))).toBe("bad signature");
    const tampered = signedHeaders(SIGNING_SECRET, body.replace('"x"', '"y"'));
    expect(await refused(tampered)).toBe("bad signature");
    const old = signedHeaders(SIGNING_SECRET, body, {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(await refused(old)).toBe("timestamp older than 5 minutes");
    expect(await refused({ "content-type": "application/json" })).toBe(
      "missing Slack signature or timestamp",
    );
    expect(await slackEventRows(envelope.event_id)).toHaveLength(0);

    // The same signed request twice: the second is a replay.
    const headers = signedHeaders(SIGNING_SECRET, body);
    const first = await fetch(eventsUrl, { method: "POST", headers, body });
    expect(first.status).toBe(200);
    expect(await refused(headers)).toBe("request already received");
    expect(await slackEventRows(envelope.event_id)).toHaveLength(1);

    // Interactivity is checked the same way.
    const payload = blockActions({
      teamId: fake.team.id,
      user: { id: "U1", name: "ana" },
      channel: "C1",
      messageTs: "1.1",
      actionId: "netia_resolve",
      value: randomUUID(),
    });
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const badForm = await fetch(interactivityUrl, {
      method: "POST",
      headers: signedHeaders("not-the-secret", form, {
        contentType: "application/x-www-form-urlencoded",
      }),
      body: form,
    });
    expect(badForm.status).toBe(401);
  });

  it("takes Slack's retry of an event and creates nothing new", async () => {
    const { conversationId, channel, threadTs, email } = await conversationInSlack();
    const ana = fake.addUser({ name: "ana", email });
    const { envelope } = fake.userPosts({
      user: ana.id,
      channel: channel.id,
      text: "Looking into it",
      threadTs,
    });
    expect((await sendEvent(eventsUrl, SIGNING_SECRET, envelope)).status).toBe(200);
    await handled(envelope.event_id);
    // Slack did not hear our answer in time and sends it again, twice.
    for (const retryNum of [1, 2]) {
      const again = await sendEvent(eventsUrl, SIGNING_SECRET, envelope, { retryNum });
      expect(again.status).toBe(200);
    }
    expect(await slackEventRows(envelope.event_id)).toHaveLength(1);
    const replies = await rt.db
      .select()
      .from(schema.messages)
      .where(
        and(
          eq(schema.messages.conversationId, conversationId),
          eq(schema.messages.body, "Looking into it"),
        ),
      );
    expect(replies).toHaveLength(1);
    const jobs = (await rt.db.execute(
      sql`select count(*)::int as n from pgboss.job where name = 'slack.handle-event' and data->>'slackEventId' = ${(await slackEventRows(envelope.event_id))[0]?.id}`,
    )) as unknown as { rows: { n: number }[] };
    expect(jobs.rows[0]?.n).toBe(1);
  });
});

describe("replies in a conversation's thread", () => {
  it("reach the visitor's widget live as the agent's reply; a ;; reply is a note the visitor never sees", async () => {
    const { admin, user, email, conversationId, channel, threadTs, visitor } =
      await conversationInSlack();
    // Slack's profile email matches the agent's, in another case.
    const ana = fake.addUser({ name: "ana", realName: "Ana Admin", email: email.toUpperCase() });
    const sub = subscriber(rt, { widgetToken: visitor.sessionToken });
    const widget = reader(await sub.api.widget.events({ conversationId }), sub.stop);
    try {
      const note = await post({
        user: ana.id,
        channel,
        text: ";; she was double charged, *refund* it",
        threadTs,
      });
      expect(note.outcome).toMatch(/^imported note/);
      const reply = await post({
        user: ana.id,
        channel,
        text: "Sorry about that, *refunded* — see <https://acme.test/billing|billing>",
        threadTs,
      });
      expect(reply.outcome).toMatch(/^imported reply/);
      const body = "Sorry about that, **refunded** — see [billing](https://acme.test/billing)";
      await widget.until(() => widget.bodies().includes(body));
      // The note was imported first, yet the visitor was never told of it.
      expect(widget.bodies().some((b) => b?.includes("double charged"))).toBe(false);
      const seen = await visitor.widget.widget.listMessages({ conversationId });
      expect(JSON.stringify(seen)).not.toContain("double charged");

      const items = (await admin.messages.list({ conversationId })).items;
      expect(items.at(-2)).toMatchObject({
        body: "she was double charged, **refund** it",
        type: "note",
        private: true,
        userId: user.id,
        metadata: { via: "slack", slack: { userId: ana.id, userName: "ana" } },
      });
      expect(items.at(-1)).toMatchObject({ body, type: "reply", private: false, userId: user.id });
      expect(items.at(-1)?.metadata.slack).not.toHaveProperty("unmatched");
      // Both are recorded as from Slack, so the thread job never posts them back.
      const recorded = await rt.db
        .select()
        .from(schema.slackMessages)
        .where(eq(schema.slackMessages.conversationId, conversationId));
      expect(
        recorded
          .filter((r) => r.direction === "in")
          .map((r) => r.ts)
          .sort(),
      ).toEqual([note.ts, reply.ts].sort());
      // The thread job skips them: each is in the thread once, as its author wrote it.
      await syncSettled(conversationId);
      const texts = fake.thread(channel.id, threadTs).map((m) => m.text);
      expect(texts.filter((t) => t.includes("refunded"))).toHaveLength(1);
      expect(texts.filter((t) => t.includes("double charged"))).toHaveLength(1);
    } finally {
      widget.stop();
    }
  });

  it("posts a reply of someone matched to no agent under their Slack name, flagged", async () => {
    const { admin, conversationId, channel, threadTs, visitor } = await conversationInSlack();
    const bob = fake.addUser({ name: "bob", email: "bob@elsewhere.test" });
    const { outcome } = await post({ user: bob.id, channel, text: "On it!", threadTs });
    expect(outcome).toMatch(/unmatched user/);
    const last = (await admin.messages.list({ conversationId })).items.at(-1);
    expect(last).toMatchObject({
      body: "On it!",
      senderType: "user",
      userId: null,
      metadata: { via: "slack", slack: { userId: bob.id, userName: "bob", unmatched: true } },
    });
    // The customer still gets the answer.
    const seen = await visitor.widget.widget.listMessages({ conversationId });
    expect(JSON.stringify(seen)).toContain("On it!");
  });

  it("ignores the bot's own posts and messages outside Netia's threads", async () => {
    const { conversationId, channel, email } = await conversationInSlack();
    const ana = fake.addUser({ name: "ana", email });
    const before = (
      await rt.db
        .select()
        .from(schema.messages)
        .where(eq(schema.messages.conversationId, conversationId))
    ).length;
    expect((await post({ user: ana.id, channel, text: "lunch?" })).outcome).toMatch(/^ignored/);
    expect((await post({ user: fake.team.botUserId, channel, text: "echo" })).outcome).toMatch(
      /^ignored/,
    );
    const after = (
      await rt.db
        .select()
        .from(schema.messages)
        .where(eq(schema.messages.conversationId, conversationId))
    ).length;
    expect(after).toBe(before);
  });
});

describe("Resolve and Reopen buttons", () => {
  async function click(input: {
    channel: string;
    messageTs: string;
    actionId: string;
    value: string;
  }) {
    const payload = blockActions({
      teamId: fake.team.id,
      user: { id: "U0ANA", name: "ana" },
      ...input,
    });
    const response = await sendInteraction(interactivityUrl, SIGNING_SECRET, payload);
    expect(response.status).toBe(200);
    return handled(`${payload.actions[0]?.action_ts}:U0ANA`);
  }

  it("close and reopen the conversation; a button carrying another account's conversation changes nothing", async () => {
    const { admin, conversationId, channel, threadTs } = await conversationInSlack();
    const status = async () => (await admin.conversations.get({ id: conversationId })).status;
    expect(
      await click({
        channel: channel.id,
        messageTs: threadTs,
        actionId: "netia_resolve",
        value: conversationId,
      }),
    ).toBe(`closed ${conversationId}`);
    expect(await status()).toBe("closed");
    await click({
      channel: channel.id,
      messageTs: threadTs,
      actionId: "netia_reopen",
      value: conversationId,
    });
    expect(await status()).toBe("open");

    // Closing in the dashboard updates the Slack header: its button is Reopen now.
    await admin.conversations.update({ id: conversationId, status: "closed" });
    await syncSettled(conversationId);
    const header = JSON.stringify(fake.message(channel.id, threadTs)?.blocks ?? []);
    expect(header).toContain('"action_id":"netia_reopen"');
    expect(header).not.toContain("netia_resolve");

    const other = await signUpAccount(rt, "Other");
    const visitor = await newVisitor(rt, other.account.id);
    const { conversationId: theirs } = await visitor.widget.widget.sendMessage({
      body: "hi",
      clientMessageId: randomUUID(),
    });
    const outcome = await click({
      channel: channel.id,
      messageTs: threadTs,
      actionId: "netia_resolve",
      value: theirs,
    });
    expect(outcome).toBe("ignored: conversation not found");
    expect((await other.admin.conversations.get({ id: theirs })).status).toBe("open");
  });
});

describe("support channels", () => {
  it("a customer's message in a connected shared channel becomes a conversation, and its thread follows it", async () => {
    const { admin, inbox, account, email, connection } = await conversationInSlack();
    const shared = fake.addChannel({
      name: `acme-${randomUUID().slice(0, 6)}`,
      isShared: true,
      botIsMember: false,
    });
    const company = await admin.companies.create({ name: "Globex" });

    const choices = await admin.slack.channels();
    expect(choices.find((c) => c.id === shared.id)).toMatchObject({ isMember: false });
    await admin.slackSupport.connect({
      channelId: shared.id,
      companyId: company.id,
      inboxId: inbox.id,
    });
    // The bot joined the channel to hear it.
    expect(fake.channels.get(shared.id)?.botIsMember).toBe(true);
    expect((await admin.slackSupport.list()).channels).toMatchObject([
      { channelId: shared.id, channelName: shared.name, companyName: "Globex", inboxId: inbox.id },
    ]);

    const carla = fake.addUser({
      name: "carla",
      realName: "Carla Globex",
      email: `carla-${randomUUID().slice(0, 6)}@globex.test`,
      teamId: "T0GLOBEX",
    });
    const ana = fake.addUser({ name: "ana", email });
    // The team's own top-level message there is no conversation.
    expect((await post({ user: ana.id, channel: shared, text: "Welcome!" })).outcome).toBe(
      "ignored: a top-level message from the team",
    );
    const started = await post({ user: carla.id, channel: shared, text: "Our _export_ fails" });
    expect(started.outcome).toMatch(/^started conversation/);

    const [thread] = await rt.db
      .select()
      .from(schema.slackThreads)
      .where(
        and(
          eq(schema.slackThreads.channelId, shared.id),
          eq(schema.slackThreads.threadTs, started.ts),
        ),
      );
    expect(thread).toMatchObject({
      kind: "support",
      accountId: account.id,
      connectionId: connection.id,
    });
    const conversationId = thread?.conversationId as string;
    const conversation = await admin.conversations.get({ id: conversationId });
    expect(conversation).toMatchObject({ channel: "slack", inboxId: inbox.id, status: "open" });
    expect(conversation.customer).toMatchObject({
      name: "carla",
      email: carla.email,
      companyId: company.id,
    });

    // In the thread: the customer's follow-up is theirs, the team's reply is the agent's.
    await post({ user: carla.id, channel: shared, text: "Since Monday", threadTs: started.ts });
    await post({ user: ana.id, channel: shared, text: "Fixing it now", threadTs: started.ts });
    const items = (await admin.messages.list({ conversationId })).items;
    expect(items.map((m) => [m.senderType, m.body])).toEqual([
      ["customer", "Our *export* fails"],
      ["customer", "Since Monday"],
      ["user", "Fixing it now"],
    ]);

    // The agent's reply in the dashboard goes back to the customer's thread in Slack; a note does not.
    await admin.messages.reply({ conversationId, body: "Fixed, please try again" });
    await admin.messages.note({ conversationId, body: "was a timeout" });
    await syncSettled(conversationId);
    const inSlack = fake.thread(shared.id, started.ts);
    expect(
      inSlack
        .filter((m) => m.botId)
        .map((m) => m.text)
        .join("\n"),
    ).toContain("Fixed, please try again");
    expect(JSON.stringify(inSlack)).not.toContain("was a timeout");
    // Nothing that came from Slack was posted back.
    expect(inSlack.filter((m) => m.text.includes("Since Monday"))).toHaveLength(1);

    // Disconnected: a new message there starts nothing.
    const [row] = (await admin.slackSupport.list()).channels;
    await admin.slackSupport.disconnect({ id: row?.id as string });
    expect((await post({ user: carla.id, channel: shared, text: "Hello?" })).outcome).toMatch(
      /^ignored/,
    );
  });

  it("refuses a company or inbox of another account", async () => {
    const { admin, inbox } = await conversationInSlack();
    const shared = fake.addChannel({ name: "shared-x", isShared: true });
    const other = await signUpAccount(rt, "Other");
    const theirs = await other.admin.companies.create({ name: "Initech" });
    await expect(
      admin.slackSupport.connect({ channelId: shared.id, companyId: theirs.id, inboxId: inbox.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
