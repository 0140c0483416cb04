// Outbound webhooks end to end: writes through the router enqueue their
// events, jobs fan them out and deliver them to a local receiver that checks
// every signature with the Standard Webhooks library. A receiver that fails
// and then recovers gets every event; one that always fails is switched off
// and its admins are emailed; the log shows each delivery and redelivery
// sends the same webhook again. Receivers run on 127.0.0.1, so deliveries
// here are allowed to private networks (the guard is tested in
// packages/webhooks/src/ssrf.test.ts, and once below through the router).
// Every write that changes a conversation or makes a customer sends its event:
// tags (added, removed, or deleted outright), snoozes and wake-ups, handoffs,
// an agent's first reply, and customers and conversations made by inbound
// email, the Gmail sync and Slack support channels (against the fakes of Gmail
// and Slack).
import { randomUUID } from "node:crypto";
import { inboxAddress, receiveInboundEmail, type WebhookEventType } from "@netia/core";
import { schema } from "@netia/db";
import { completeGmailConnection, signState } from "@netia/gmail";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { installSlackForTest } from "@netia/slack/testing";
import { type FakeGmail, startFakeGmail } from "@netia/testkit/gmail";
import { type FakeSlack, signedHeaders, startFakeSlack } from "@netia/testkit/slack";
import { startWebhookReceiver, type WebhookReceiver } from "@netia/testkit/webhook-receiver";
import { createWebhookEndpoint } from "@netia/webhooks";
import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleSlackEvents } from "../slack-requests";
import { createTestRuntime, newVisitor, signUpAccount, testConfig } from "../testing";

const RETRY_LIMIT = 2;
const GOOGLE = { clientId: "netia-test.apps.googleusercontent.com", clientSecret: "s3cret" };
const SLACK = { clientId: "1.2", clientSecret: "client-secret" };
const SLACK_SIGNING_SECRET = "slack-signing-secret-for-tests";
const INBOUND_DOMAIN = "reply.netia.test";

let rt: Runtime;
let gmail: FakeGmail;
let slack: FakeSlack;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  gmail = await startFakeGmail(GOOGLE);
  slack = await startFakeSlack(SLACK);
  rt = await createTestRuntime({
    config: testConfig({
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "true",
      INBOUND_EMAIL_DOMAIN: INBOUND_DOMAIN,
      GOOGLE_CLIENT_ID: GOOGLE.clientId,
      GOOGLE_CLIENT_SECRET: GOOGLE.clientSecret,
      GOOGLE_API_URL: gmail.apiUrl,
      GOOGLE_OAUTH_URL: gmail.oauthUrl,
      SLACK_CLIENT_ID: SLACK.clientId,
      SLACK_CLIENT_SECRET: SLACK.clientSecret,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl.replace(/\/$/, ""),
    }),
    jobs: {
      pollingIntervalSeconds: 0.5,
      retry: {
        "webhooks.deliver": { retryLimit: RETRY_LIMIT, retryDelay: 1, retryDelayMax: 1 },
      },
    },
  });
});
afterAll(async () => {
  if (rt) await closeRuntime(rt);
  await Promise.all(receivers.map((r) => r.close()));
  await gmail?.close();
  await slack?.close();
});

async function receiver() {
  const r = await startWebhookReceiver();
  receivers.push(r);
  return r;
}

type Entity = Record<string, unknown> & { id: string };
type Verified = {
  type: string;
  id: string;
  data: { message?: Entity; conversation?: Entity; customer?: Entity };
  webhookId: string;
};

/** Checks the request's signature with the Standard Webhooks library and returns its payload. */
function verified(secret: string, request: WebhookReceiver["received"][number]): Verified {
  const payload = new Webhook(secret).verify(
    request.body,
    request.headers as Record<string, string>,
  );
  return {
    ...(payload as Omit<Verified, "webhookId">),
    webhookId: String(request.headers["webhook-id"]),
  };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An account with a visitor's conversation, then an endpoint subscribed to `eventTypes`. */
async function subscribedAccount(eventTypes: WebhookEventType[]) {
  const hooks = await receiver();
  const owner = await signUpAccount(rt);
  const visitor = await newVisitor(rt, owner.account.id);
  // The conversation is there before the endpoint: its own events are not sent.
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "Where is my order?",
    clientMessageId: randomUUID(),
  });
  const { secret } = await owner.admin.webhooks.create({ url: hooks.url, eventTypes });
  return { ...owner, hooks, secret, visitor, conversationId };
}

/**
 * The first `count` requests, verified, once a further second brought no
 * other: each change sends exactly what it should, and nothing more.
 */
async function exactly(hooks: WebhookReceiver, secret: string, count: number) {
  const got = (await hooks.waitFor(count)).map((request) => verified(secret, request));
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(hooks.received).toHaveLength(count);
  return got;
}

describe("webhooks", () => {
  it("sends each subscribed event once, signed by the Standard Webhooks scheme", async () => {
    const hooks = await receiver();
    const { admin, account, user } = await signUpAccount(rt);
    const { endpoint, secret } = await admin.webhooks.create({
      url: `${hooks.url}/netia`,
      description: "CRM",
      eventTypes: [
        "message.created",
        "conversation.created",
        "conversation.updated",
        "conversation.assigned",
        "customer.created",
      ],
    });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ enabled: true, description: "CRM" });

    const visitor = await newVisitor(rt, account.id);
    const { conversationId, message } = await visitor.widget.widget.sendMessage({
      body: "Hello, is anyone there?",
      clientMessageId: randomUUID(),
    });
    const reply = await admin.messages.reply({ conversationId, body: "Yes, here" });
    // The reply took the conversation; it is handed back, then taken again with a higher priority.
    await admin.conversations.update({ id: conversationId, assigneeId: null });
    await admin.conversations.update({ id: conversationId, assigneeId: user.id, priority: "high" });

    // customer.created, conversation.created, 2 message.created, and
    // 3 × conversation.updated + .assigned (the reply taking it, then the two updates)
    const got = (await hooks.waitFor(10)).map((request) => verified(secret, request));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hooks.received).toHaveLength(10);
    expect(got.map((e) => e.type).sort()).toEqual([
      "conversation.assigned",
      "conversation.assigned",
      "conversation.assigned",
      "conversation.created",
      "conversation.updated",
      "conversation.updated",
      "conversation.updated",
      "customer.created",
      "message.created",
      "message.created",
    ]);
    const messages = got.filter((e) => e.type === "message.created");
    expect(messages.map((e) => e.data.message?.id).sort()).toEqual([message.id, reply.id].sort());
    const customerMessage = messages.find((e) => e.data.message?.id === message.id);
    expect(customerMessage?.data).toMatchObject({
      message: { body: "Hello, is anyone there?", senderType: "customer", conversationId },
      conversation: { id: conversationId, channel: "chat" },
    });
    const assigned = got.filter((e) => e.type === "conversation.assigned");
    expect(assigned.map((e) => e.data.conversation?.id)).toEqual([
      conversationId,
      conversationId,
      conversationId,
    ]);
    const customer = got.find((e) => e.type === "customer.created");
    expect(customer?.data.customer?.id).toBe(visitor.customerId);
    expect(new Set(got.map((e) => e.webhookId)).size).toBe(10);
    expect(new Set(got.map((e) => e.id)).size).toBe(10);
    expect(hooks.received.every((r) => r.path === "/netia" && r.method === "POST")).toBe(true);

    // A signature made with another secret does not verify.
    const [first] = hooks.received;
    if (!first) throw new Error("nothing received");
    expect(() =>
      new Webhook(`whsec_${Buffer.from("some other secret!!").toString("base64")}`).verify(
        first.body,
        first.headers as Record<string, string>,
      ),
    ).toThrow();

    // The log shows every delivery with its status code and timing.
    const log = await until(
      "the deliveries to be recorded",
      () => admin.webhooks.deliveries({ endpointId: endpoint.id }),
      (page) => page.items.filter((d) => d.status === "delivered").length === 10,
    );
    expect(log.items).toHaveLength(10);
    for (const delivery of log.items) {
      expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
      expect(delivery.lastDurationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("gets every event to a receiver that fails, then recovers, once it answers", async () => {
    const hooks = await receiver();
    const { admin, account } = await signUpAccount(rt);
    const { endpoint, secret } = await admin.webhooks.create({
      url: hooks.url,
      eventTypes: ["message.created"],
    });
    // Down for the first 4 requests (a 503, then a 500...), up after.
    hooks.answer((_request, index) =>
      index < 4 ? { status: index % 2 ? 500 : 503, body: "down for maintenance" } : { status: 200 },
    );
    const visitor = await newVisitor(rt, account.id);
    const sent: string[] = [];
    let conversationId: string | undefined;
    for (let i = 0; i < 3; i++) {
      const result = await visitor.widget.widget.sendMessage({
        body: `message ${i}`,
        clientMessageId: randomUUID(),
        ...(conversationId && { conversationId }),
      });
      conversationId = result.conversationId;
      sent.push(result.message.id);
    }
    const log = await until(
      "every delivery to succeed",
      () => admin.webhooks.deliveries({ endpointId: endpoint.id }),
      (page) => page.items.length === 3 && page.items.every((d) => d.status === "delivered"),
    );
    // Each message arrived answered with a 200 exactly once, with its one webhook-id.
    const answered = hooks.received.slice(4).map((request) => verified(secret, request));
    expect(answered.map((e) => e.data.message?.id).sort()).toEqual([...sent].sort());
    expect(new Set(answered.map((e) => e.webhookId)).size).toBe(3);
    expect(log.items.reduce((n, d) => n + d.attempts, 0)).toBe(hooks.received.length);
    expect(log.items.some((d) => d.attempts > 1)).toBe(true);
    // Retries repeat the webhook-id: receivers can tell a retry from a new event.
    const idsSeen = hooks.received.map((r) => r.headers["webhook-id"]);
    expect(new Set(idsSeen).size).toBe(3);
    const [current] = await admin.webhooks.list().then((l) => l.endpoints);
    expect(current).toMatchObject({ enabled: true, failureStreak: 0 });
  });

  it("switches off an endpoint that always fails and emails its admins", async () => {
    const hooks = await receiver();
    hooks.answer(() => ({ status: 500, body: "broken" }));
    const { admin, account, email } = await signUpAccount(rt);
    const { endpoint } = await admin.webhooks.create({
      url: hooks.url,
      eventTypes: ["customer.created"],
    });
    // 10 deliveries in a row fail after all their retries.
    for (let i = 0; i < 10; i++) await newVisitor(rt, account.id);
    const [disabled] = await until(
      "the endpoint to be switched off",
      () => admin.webhooks.list().then((l) => l.endpoints),
      ([e]) => e?.enabled === false,
    );
    expect(disabled).toMatchObject({
      id: endpoint.id,
      enabled: false,
      disabledReason: "10 deliveries in a row failed after all their retries",
    });
    expect(hooks.received).toHaveLength(10 * (RETRY_LIMIT + 1));
    const emails = await until(
      "the admins' email",
      () =>
        rt.db
          .select()
          .from(schema.outboundEmails)
          .where(
            and(
              eq(schema.outboundEmails.accountId, account.id),
              eq(schema.outboundEmails.kind, "webhook_disabled"),
            ),
          ),
      (rows) => rows.length > 0,
    );
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      toAddress: email,
      subject: `Webhook switched off: ${hooks.url}`,
    });
    expect(emails[0]?.text).toContain(hooks.url);

    // Switched off, it gets nothing more, and redelivery waits until it is switched on.
    const before = hooks.received.length;
    await newVisitor(rt, account.id);
    const log = await admin.webhooks.deliveries({ endpointId: endpoint.id, limit: 100 });
    expect(log.items).toHaveLength(10);
    expect(log.items.every((d) => d.status === "failed" && d.lastStatusCode === 500)).toBe(true);
    expect(log.items[0]?.lastResponseExcerpt).toBe("broken");
    const [failed] = log.items;
    if (!failed) throw new Error("no delivery");
    await expect(admin.webhooks.redeliver({ deliveryId: failed.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    // Fixed and switched on again, a redelivery succeeds with the same webhook-id.
    hooks.answer(() => ({ status: 204 }));
    const enabled = await admin.webhooks.update({ id: endpoint.id, enabled: true });
    expect(enabled).toMatchObject({ enabled: true, failureStreak: 0, disabledReason: null });
    await admin.webhooks.redeliver({ deliveryId: failed.id });
    const [again] = (await hooks.waitFor(before + 1)).slice(before);
    expect(again?.headers["webhook-id"]).toBe(failed.webhookId);
    await until(
      "the redelivery to be recorded",
      () => admin.webhooks.deliveries({ endpointId: endpoint.id, limit: 100 }),
      (page) => page.items.some((d) => d.id === failed.id && d.status === "delivered"),
    );
  });

  it("switches off an endpoint whose attempts all failed for a day", async () => {
    const hooks = await receiver();
    hooks.answer(() => ({ status: 502 }));
    const { admin, account } = await signUpAccount(rt);
    const { endpoint } = await admin.webhooks.create({
      url: hooks.url,
      eventTypes: ["customer.created"],
    });
    // The endpoint has been failing since yesterday; the next failed attempt is the last straw.
    await rt.db
      .update(schema.webhookEndpoints)
      .set({ failingSince: sql`now() - interval '25 hours'` })
      .where(eq(schema.webhookEndpoints.id, endpoint.id));
    await newVisitor(rt, account.id);
    const [disabled] = await until(
      "the endpoint to be switched off",
      () => admin.webhooks.list().then((l) => l.endpoints),
      ([e]) => e?.enabled === false,
    );
    expect(disabled?.disabledReason).toBe("every delivery attempt failed for 24 hours");
    // Its pending delivery is not tried again.
    const log = await until(
      "the pending delivery to be given up",
      () => admin.webhooks.deliveries({ endpointId: endpoint.id }),
      (page) => page.items[0]?.status === "failed",
    );
    expect(log.items[0]?.attempts).toBe(1);
  });

  it("sends a test event, rotates the secret, and refuses inside addresses without the setting", async () => {
    const hooks = await receiver();
    const { admin, account } = await signUpAccount(rt);
    const { endpoint, secret } = await admin.webhooks.create({
      url: hooks.url,
      eventTypes: ["message.created"],
    });
    const { secret: rotated } = await admin.webhooks.rotateSecret({ id: endpoint.id });
    expect(rotated).not.toBe(secret);
    await admin.webhooks.sendTest({ endpointId: endpoint.id });
    const [request] = await hooks.waitFor(1);
    if (!request) throw new Error("nothing received");
    expect(verified(rotated, request)).toMatchObject({ type: "webhook.test" });
    expect(() => verified(secret, request)).toThrow();

    for (const url of [
      "http://127.0.0.1/hook",
      "http://10.0.0.1/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://localhost/hook",
    ]) {
      await expect(
        createWebhookEndpoint(
          rt.db,
          { secretKeyBase: rt.config.secretKeyBase, allowPrivateNetworks: false },
          { accountId: account.id, url, eventTypes: ["message.created"] },
        ),
      ).rejects.toThrow(/private, loopback or link-local/);
    }
  });

  it("adds nothing to the message path of an account without webhooks", async () => {
    const { account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    await visitor.widget.widget.sendMessage({ body: "hi", clientMessageId: randomUUID() });
    const result = (await rt.db.execute(sql`
      select count(*)::int as n from pgboss.job
      where name = 'webhooks.fan-out' and data->>'accountId' = ${account.id}`)) as unknown as {
      rows: { n: number }[];
    };
    expect(result.rows[0]?.n).toBe(0);
  });

  it("tags, snoozes, wake-ups and the assistant's handoff each send one conversation.updated", async () => {
    const { admin, hooks, secret, visitor, conversationId } = await subscribedAccount([
      "conversation.updated",
    ]);
    const updates = (count: number) => exactly(hooks, secret, count);
    const tag = await admin.tags.create({ name: "billing" });

    await admin.conversations.addTag({ conversationId, tagId: tag.id });
    // Tagging again changes nothing and sends nothing.
    await admin.conversations.addTag({ conversationId, tagId: tag.id });
    await admin.conversations.removeTag({ conversationId, tagId: tag.id });
    await admin.conversations.removeTag({ conversationId, tagId: tag.id });
    let got = await updates(2);

    const later = new Date(Date.now() + 3_600_000);
    await admin.conversations.snooze({ id: conversationId, until: later.toISOString() });
    got = await updates(3);
    expect(got[2]?.data.conversation).toMatchObject({
      id: conversationId,
      status: "snoozed",
      snoozedUntil: later.toISOString(),
    });

    // Snoozed again for a second: its wake-up job reopens it, and says so.
    await admin.conversations.snooze({
      id: conversationId,
      until: new Date(Date.now() + 1_000).toISOString(),
    });
    await until(
      "the wake-up",
      () => admin.conversations.get({ id: conversationId }),
      (c) => c.status === "open",
    );
    got = await updates(5);
    expect(got[4]?.data.conversation).toMatchObject({ status: "open", snoozedUntil: null });

    // A snooze whose job never ran is woken by the minute sweep.
    await rt.db
      .update(schema.conversations)
      .set({ status: "snoozed", snoozedUntil: new Date(Date.now() - 60_000) })
      .where(eq(schema.conversations.id, conversationId));
    await rt.jobs.enqueue(rt.db, "conversations.wake-snoozed-sweep", {});
    got = await updates(6);
    expect(got[5]?.data.conversation).toMatchObject({ status: "open", snoozedUntil: null });

    // "Talk to a person" takes the conversation from the assistant, once.
    expect(await visitor.widget.widget.requestHuman({ conversationId })).toEqual({
      handedOff: true,
    });
    expect(await visitor.widget.widget.requestHuman({ conversationId })).toEqual({
      handedOff: false,
    });
    got = await updates(7);
    expect(got.every((e) => e.type === "conversation.updated")).toBe(true);
    expect(got.every((e) => e.data.conversation?.id === conversationId)).toBe(true);
    expect(new Set(got.map((e) => e.id)).size).toBe(7);
  });

  it("payloads carry the conversation's tags; deleting a tag updates each conversation that had it", async () => {
    const { account, admin, hooks, secret, conversationId } = await subscribedAccount([
      "conversation.updated",
    ]);
    const other = await newVisitor(rt, account.id);
    const { conversationId: otherId } = await other.widget.widget.sendMessage({
      body: "Me too",
      clientMessageId: randomUUID(),
    });
    const vip = await admin.tags.create({ name: "vip", color: "#aa0000" });
    const unused = await admin.tags.create({ name: "unused" });

    await admin.conversations.addTag({ conversationId, tagId: vip.id });
    const [tagged] = await exactly(hooks, secret, 1);
    expect(tagged?.data.conversation).toMatchObject({
      id: conversationId,
      tags: [{ id: vip.id, name: "vip", color: "#aa0000" }],
    });
    await admin.conversations.addTag({ conversationId: otherId, tagId: vip.id });
    await exactly(hooks, secret, 2);

    // A tag on no conversation changes none.
    await admin.tags.delete({ id: unused.id });
    await admin.tags.delete({ id: vip.id });
    const got = await exactly(hooks, secret, 4);
    const untagged = got.slice(2);
    expect(untagged.map((e) => e.type)).toEqual(["conversation.updated", "conversation.updated"]);
    expect(untagged.map((e) => e.data.conversation?.id).sort()).toEqual(
      [conversationId, otherId].sort(),
    );
    for (const event of untagged) expect(event.data.conversation?.tags).toEqual([]);
  });

  it("an agent's first reply announces that it took the conversation; later replies and notes do not", async () => {
    const { admin, user, hooks, secret, conversationId } = await subscribedAccount([
      "conversation.updated",
      "conversation.assigned",
    ]);
    await admin.messages.reply({ conversationId, body: "Let me look" });
    await admin.messages.reply({ conversationId, body: "Found it" });
    await admin.messages.note({ conversationId, body: "Refund due" });
    const got = await exactly(hooks, secret, 2);
    expect(got.map((e) => e.type).sort()).toEqual([
      "conversation.assigned",
      "conversation.updated",
    ]);
    for (const event of got) {
      expect(event.data.conversation).toMatchObject({ id: conversationId, assigneeId: user.id });
    }
  });

  it("a customer and conversations made by inbound email send customer.created and conversation.created", async () => {
    const { account, inbox, hooks, secret } = await subscribedAccount([
      "customer.created",
      "conversation.created",
    ]);
    const to = inboxAddress(
      { secretKeyBase: rt.config.secretKeyBase, inboundDomain: INBOUND_DOMAIN },
      inbox.id,
    ) as string;
    const from = `frank-${randomUUID().slice(0, 8)}@example.com`;
    const mail = (subject: string) =>
      Buffer.from(
        [
          `From: Frank Ocean <${from}>`,
          `To: ${to}`,
          `Subject: ${subject}`,
          `Message-ID: <${randomUUID()}@mail.example.com>`,
          "Content-Type: text/plain; charset=utf-8",
          "",
          "The box was crushed.",
          "",
        ].join("\r\n"),
      );
    // What the SMTP listener and the Mailgun route hand over.
    const deps = {
      db: rt.db,
      bus: rt.bus,
      logger: rt.logger,
      jobs: rt.jobs,
      settings: { secretKeyBase: rt.config.secretKeyBase, inboundDomain: INBOUND_DOMAIN },
    };
    const received = await receiveInboundEmail(deps, {
      raw: mail("Damaged"),
      source: "smtp",
      envelopeTo: [to],
    });
    expect(received.deliveries.map((d) => d.outcome)).toEqual(["accepted"]);
    // The same person writing again, not in reply, is the same customer in a new conversation.
    const again = await receiveInboundEmail(deps, {
      raw: mail("Still damaged"),
      source: "smtp",
      envelopeTo: [to],
    });
    const got = await exactly(hooks, secret, 3);
    const customer = got.find((e) => e.type === "customer.created");
    expect(customer).toMatchObject({
      accountId: account.id,
      data: { customer: { email: from, name: "Frank Ocean" } },
    });
    const started = got.filter((e) => e.type === "conversation.created");
    expect(started.map((e) => e.data.conversation?.id).sort()).toEqual(
      [received, again].map((r) => r.deliveries[0]?.conversationId).sort(),
    );
    for (const event of started) {
      expect(event.data.conversation).toMatchObject({
        channel: "email",
        customerId: customer?.data.customer?.id,
      });
    }
  });

  it("a customer and conversation made by the Gmail sync send customer.created and conversation.created", async () => {
    const { account, user, inbox, hooks, secret } = await subscribedAccount([
      "customer.created",
      "conversation.created",
    ]);
    const address = `support-${randomUUID().slice(0, 8)}@acme.test`;
    const state = signState(rt.config.secretKeyBase, {
      accountId: account.id,
      userId: user.id,
      inboxId: inbox.id,
      expiresAt: Date.now() + 60_000,
    });
    const { connectionId } = await completeGmailConnection(rt, {
      code: gmail.authorize(address),
      state,
      userId: user.id,
    });
    const from = `carla-${randomUUID().slice(0, 8)}@customer.test`;
    gmail
      .mailbox(address)
      .add(
        [
          `From: Carla Customer <${from}>`,
          `To: ${address}`,
          "Subject: Invoice",
          `Message-ID: <${randomUUID()}@customer.test>`,
          `Date: ${new Date().toUTCString()}`,
          "MIME-Version: 1.0",
          "Content-Type: text/plain; charset=utf-8",
          "",
          "My invoice is wrong",
          "",
        ].join("\r\n"),
      );
    await rt.jobs.enqueue(rt.db, "gmail.sync", { connectionId });
    const got = await exactly(hooks, secret, 2);
    const customer = got.find((e) => e.type === "customer.created");
    expect(customer).toMatchObject({
      accountId: account.id,
      data: { customer: { email: from, name: "Carla Customer" } },
    });
    expect(got.find((e) => e.type === "conversation.created")).toMatchObject({
      accountId: account.id,
      data: {
        conversation: {
          channel: "email",
          subject: "Invoice",
          inboxId: inbox.id,
          customerId: customer?.data.customer?.id,
        },
      },
    });
  });

  it("a customer and conversation made by a Slack support channel send customer.created and conversation.created", async () => {
    const { admin, account, inbox, hooks, secret } = await subscribedAccount([
      "customer.created",
      "conversation.created",
    ]);
    // One account per workspace: this account has the fake's workspace.
    await rt.db
      .delete(schema.slackConnections)
      .where(eq(schema.slackConnections.teamId, slack.team.id));
    const team = slack.addChannel({ name: `support-${randomUUID().slice(0, 6)}` });
    await installSlackForTest({ db: rt.db, config: rt.config }, slack, {
      accountId: account.id,
      channel: { id: team.id, name: team.name },
    });
    const shared = slack.addChannel({
      name: `globex-${randomUUID().slice(0, 6)}`,
      isShared: true,
      botIsMember: false,
    });
    const company = await admin.companies.create({ name: "Globex" });
    await admin.slackSupport.connect({
      channelId: shared.id,
      companyId: company.id,
      inboxId: inbox.id,
    });
    const carla = slack.addUser({
      name: "carla",
      realName: "Carla Globex",
      email: `carla-${randomUUID().slice(0, 6)}@globex.test`,
      teamId: "T0GLOBEX",
    });
    const { envelope } = slack.userPosts({
      user: carla.id,
      channel: shared.id,
      text: "Export fails",
    });
    const response = await handleSlackEvents(
      rt,
      new Request("http://127.0.0.1/api/slack/events", {
        method: "POST",
        headers: signedHeaders(SLACK_SIGNING_SECRET, JSON.stringify(envelope)),
        body: JSON.stringify(envelope),
      }),
    );
    expect(response.status).toBe(200);
    const got = await exactly(hooks, secret, 2);
    const customer = got.find((e) => e.type === "customer.created");
    expect(customer).toMatchObject({
      accountId: account.id,
      data: { customer: { email: carla.email, companyId: company.id } },
    });
    expect(got.find((e) => e.type === "conversation.created")).toMatchObject({
      accountId: account.id,
      data: {
        conversation: {
          channel: "slack",
          inboxId: inbox.id,
          customerId: customer?.data.customer?.id,
        },
      },
    });
  });
});
