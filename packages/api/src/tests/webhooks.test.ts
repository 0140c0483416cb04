// Outbound webhooks end to end: writes through the router enqueue their
// events, jobs fan them out and deliver them to a local receiver that checks
// every signature with the Standard Webhooks library. A receiver that fails
// and then recovers gets every event; one that always fails is switched off
// and its admins are emailed; the log shows each delivery and redelivery
// sends the same webhook again. Receivers run on 127.0.0.1, so deliveries
// here are allowed to private networks (the guard is tested in
// packages/webhooks/src/ssrf.test.ts, and once below through the router).
import { randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { startWebhookReceiver, type WebhookReceiver } from "@netia/testkit/webhook-receiver";
import { createWebhookEndpoint } from "@netia/webhooks";
import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount, testConfig } from "../testing";

const RETRY_LIMIT = 2;

let rt: Runtime;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  rt = await createTestRuntime({
    config: testConfig({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "true" }),
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

    // customer.created, conversation.created, 2 message.created, 2 × conversation.updated + .assigned
    const got = (await hooks.waitFor(8)).map((request) => verified(secret, request));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(hooks.received).toHaveLength(8);
    expect(got.map((e) => e.type).sort()).toEqual([
      "conversation.assigned",
      "conversation.assigned",
      "conversation.created",
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
    expect(assigned.map((e) => e.data.conversation?.id)).toEqual([conversationId, conversationId]);
    const customer = got.find((e) => e.type === "customer.created");
    expect(customer?.data.customer?.id).toBe(visitor.customerId);
    expect(new Set(got.map((e) => e.webhookId)).size).toBe(8);
    expect(new Set(got.map((e) => e.id)).size).toBe(8);
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
      (page) => page.items.filter((d) => d.status === "delivered").length === 8,
    );
    expect(log.items).toHaveLength(8);
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
});
