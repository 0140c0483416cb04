import { createHmac, randomUUID } from "node:crypto";
import { withinWorkingHours } from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, signUpAccount } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

const hmac = (secret: string, value: string) =>
  createHmac("sha256", secret).update(value).digest("hex");

async function identify(accountId: string, extra: Record<string, unknown> = {}) {
  const session = await client(rt).widget.identify({
    accountToken: accountId,
    visitorId: `visitor-${randomUUID()}`,
    ...extra,
  });
  return { ...session, widget: client(rt, { widgetToken: session.sessionToken }).widget };
}

describe("widget configuration", () => {
  it("serves the inbox's stored settings, merged after an admin's update, without private keys", async () => {
    const { admin, account, inbox } = await signUpAccount(rt);
    await admin.inboxes.updateWidgetSettings({
      inboxId: inbox.id,
      settings: {
        title: "Talk to Acme",
        primaryColor: "#ff0000",
        allowedOrigins: ["https://acme.test"],
      },
    });
    const config = await client(rt).widget.config({ accountToken: account.id });
    expect(config.inboxId).toBe(inbox.id);
    expect(config.settings).toMatchObject({ title: "Talk to Acme", primaryColor: "#ff0000" });
    expect(config.settings.greeting).toBeTruthy();
    expect(config.settings).not.toHaveProperty("allowedOrigins");
    await expect(
      admin.inboxes.updateWidgetSettings({ inboxId: inbox.id, settings: { primaryColor: "red" } }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
      cause: { issues: [{ path: ["settings", "primaryColor"] }] },
    });
    // null clears an option.
    await admin.inboxes.updateWidgetSettings({
      inboxId: inbox.id,
      settings: { customIconUrl: "https://acme.test/icon.png" },
    });
    const cleared = await admin.inboxes.updateWidgetSettings({
      inboxId: inbox.id,
      settings: { customIconUrl: null },
    });
    expect(cleared).not.toHaveProperty("customIconUrl");
    expect(cleared.title).toBe("Talk to Acme");
  });

  it("answers NOT_FOUND for an unknown account token", async () => {
    await expect(client(rt).widget.config({ accountToken: randomUUID() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("visitor identity", () => {
  it("keeps an anonymous visitor's history across sessions with the same visitor id", async () => {
    const { account } = await signUpAccount(rt);
    const visitorId = `visitor-${randomUUID()}`;
    const first = await client(rt).widget.identify({ accountToken: account.id, visitorId });
    const w1 = client(rt, { widgetToken: first.sessionToken }).widget;
    const { conversationId } = await w1.sendMessage({
      body: "hello",
      clientMessageId: randomUUID(),
    });
    const again = await client(rt).widget.identify({ accountToken: account.id, visitorId });
    expect(again.customerId).toBe(first.customerId);
    const w2 = client(rt, { widgetToken: again.sessionToken }).widget;
    expect((await w2.conversations()).map((c) => c.id)).toEqual([conversationId]);
  });

  it("records the browser context and identity on the customer", async () => {
    const { admin, account } = await signUpAccount(rt);
    const v = await identify(account.id, {
      customer: {
        externalId: "user-42",
        email: "ada@example.com",
        name: "Ada",
        metadata: { plan: "pro" },
      },
      context: {
        currentUrl: "https://acme.test/pricing",
        browser: "Chrome",
        os: "Linux",
        language: "en",
      },
    });
    const customer = await admin.customers.get({ id: v.customerId });
    expect(customer).toMatchObject({
      externalId: "user-42",
      email: "ada@example.com",
      name: "Ada",
      metadata: { plan: "pro" },
      currentUrl: "https://acme.test/pricing",
      browser: "Chrome",
    });
  });

  it("on a verification-required inbox, a missing or forged hash never reaches the real customer", async () => {
    const { admin, account, inbox } = await signUpAccount(rt);
    await admin.inboxes.update({ id: inbox.id, requireIdentityVerification: true });
    const { identitySecret } = await admin.inboxes.get({ id: inbox.id });

    const real = await identify(account.id, {
      customer: { externalId: "customer-1", email: "real@example.com" },
      identityHash: hmac(identitySecret, "customer-1"),
    });
    expect(real.verified).toBe(true);
    const { conversationId } = await real.widget.sendMessage({
      body: "my private question",
      clientMessageId: randomUUID(),
    });

    for (const identityHash of [undefined, hmac("wrong secret", "customer-1"), "0".repeat(64)]) {
      const impostor = await identify(account.id, {
        customer: { externalId: "customer-1" },
        identityHash,
      });
      expect(impostor.verified).toBe(false);
      expect(impostor.customerId).not.toBe(real.customerId);
      expect(await impostor.widget.conversations()).toEqual([]);
      await expect(impostor.widget.listMessages({ conversationId })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }

    const again = await identify(account.id, {
      customer: { externalId: "customer-1" },
      identityHash: hmac(identitySecret, "customer-1").toUpperCase(),
    });
    expect(again.customerId).toBe(real.customerId);
    expect((await again.widget.conversations()).map((c) => c.id)).toEqual([conversationId]);
  });

  it("rejects a forged or expired widget token", async () => {
    await expect(
      client(rt, { widgetToken: "forged-token" }).widget.conversations(),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(client(rt).widget.conversations()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("read receipts", () => {
  it("marks agent messages seen up to the given seq, never the customer's own", async () => {
    const { admin, account } = await signUpAccount(rt);
    const v = await identify(account.id);
    const { conversationId } = await v.widget.sendMessage({
      body: "hi",
      clientMessageId: randomUUID(),
    });
    const r1 = await admin.messages.reply({ conversationId, body: "one" });
    await admin.messages.reply({ conversationId, body: "two" });
    expect(await v.widget.markSeen({ conversationId, upToSeq: r1.seq })).toEqual({ count: 1 });
    const { items } = await admin.messages.list({ conversationId });
    expect(items.map((m) => m.seenAt !== null)).toEqual([false, true, false]);
  });
});

describe("the public widget surface", () => {
  it("refuses browsers on sites outside the inbox's allowed origins", async () => {
    const { admin, account, inbox } = await signUpAccount(rt);
    await admin.inboxes.updateWidgetSettings({
      inboxId: inbox.id,
      settings: { allowedOrigins: ["https://acme.test"] },
    });
    const from = (origin?: string) => client(rt, { headers: origin ? { origin } : {} });
    const visitorId = `visitor-${randomUUID()}`;
    await expect(
      from("https://evil.test").widget.identify({ accountToken: account.id, visitorId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/evil\.test/) });
    await expect(
      from("https://evil.test").widget.config({ accountToken: account.id }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const session = await from("https://acme.test").widget.identify({
      accountToken: account.id,
      visitorId,
    });
    // A server-side caller sends no Origin and is not a browser embedding the widget.
    await from().widget.config({ accountToken: account.id });

    const evil = client(rt, {
      widgetToken: session.sessionToken,
      headers: { origin: "https://evil.test" },
    });
    await expect(
      evil.widget.sendMessage({ body: "hi", clientMessageId: randomUUID() }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const good = client(rt, {
      widgetToken: session.sessionToken,
      headers: { origin: "https://acme.test" },
    });
    await good.widget.sendMessage({ body: "hi", clientMessageId: randomUUID() });
  });

  it("rate limits widget calls per IP and per account", async () => {
    const { account } = await signUpAccount(rt);
    const strict = await createTestRuntime({
      database: rt.database,
      rateLimits: { widgetPerIp: 3, widgetPerAccount: 5 },
    });
    const fromIp = (ip: string) => client(strict, { ip });
    for (let i = 0; i < 3; i++)
      await fromIp("198.51.100.1").widget.config({ accountToken: account.id });
    await expect(
      fromIp("198.51.100.1").widget.config({ accountToken: account.id }),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    // Other addresses share the account's allowance: 5 a minute in all.
    await fromIp("198.51.100.2").widget.config({ accountToken: account.id });
    await fromIp("198.51.100.3").widget.config({ accountToken: account.id });
    await expect(
      fromIp("198.51.100.4").widget.config({ accountToken: account.id }),
    ).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});

describe("what the widget knows before a conversation exists", () => {
  it("reports agent availability and working hours with the configuration", async () => {
    const { admin, account } = await signUpAccount(rt);
    const config = await client(rt).widget.config({ accountToken: account.id });
    expect(config).toMatchObject({ agentsOnline: false, withinWorkingHours: true });
    // Monday 09:00 to 17:00 in Paris.
    await admin.account.update({
      timeZone: "Europe/Paris",
      workingHours: [{ day: 1, startMinute: 9 * 60, endMinute: 17 * 60 }],
    });
    const { getAccount } = await import("@netia/core");
    const stored = await getAccount(rt.db, { accountId: account.id });
    expect(withinWorkingHours(stored, new Date("2026-11-30T09:30:00Z"))).toBe(true); // 10:30 in Paris
    expect(withinWorkingHours(stored, new Date("2026-11-30T16:30:00Z"))).toBe(false); // 17:30
    expect(withinWorkingHours(stored, new Date("2026-12-01T09:30:00Z"))).toBe(false); // a Tuesday
  });

  it("counts unseen agent messages per conversation and carries quick replies", async () => {
    const { admin, account } = await signUpAccount(rt);
    const v = await identify(account.id);
    const { conversationId } = await v.widget.sendMessage({
      body: "hi",
      clientMessageId: randomUUID(),
    });
    const reply = await admin.messages.reply({
      conversationId,
      body: "Which plan are you on?",
      quickReplies: ["Free", "Pro"],
    });
    await admin.messages.reply({ conversationId, body: "Take your time." });
    expect((await v.widget.conversations())[0]?.unread).toBe(2);
    await v.widget.markSeen({ conversationId, upToSeq: reply.seq });
    expect((await v.widget.conversations())[0]?.unread).toBe(1);
    const { items } = await v.widget.listMessages({ conversationId });
    expect(items.find((m) => m.id === reply.id)?.metadata).toEqual({
      quickReplies: ["Free", "Pro"],
    });
  });
});
