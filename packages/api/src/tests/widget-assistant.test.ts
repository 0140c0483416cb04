// What the widget learns about the AI assistant: whether it answers in the
// visitor's inbox (and its name), and who answers each conversation, live. A
// handoff reaches the visitor as "answered by people" only: its private note
// and reason stay with the team.
import { randomUUID } from "node:crypto";
import { testConfig } from "@netia/config/testing";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, createTestRuntime, newVisitor, signUpAccount } from "../testing";
import { reader, subscriber } from "./streams";

type AnsweredByEvent = { type: string; answeredBy?: string; reason?: unknown; summary?: unknown };

// A server with a provider key (jobs off: no reply is generated here) and one without.
let rt: Runtime;
let keyless: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime({
    config: testConfig({ OPENAI_API_KEY: "sk-test", RUN_JOBS: "false" }),
  });
  keyless = await createTestRuntime();
});
afterAll(async () => {
  await closeRuntime(rt);
  await closeRuntime(keyless);
});

describe("widget.config: the assistant", () => {
  it("is on only when the account, the inbox and the server all have it on", async () => {
    const { admin, account, inbox } = await signUpAccount(rt);
    const config = () => client(rt).widget.config({ accountToken: account.id });
    // Never set up: off, with the default name.
    expect((await config()).assistant).toEqual({ enabled: false, name: "Assistant" });

    await admin.assistant.updateSettings({ enabled: true, botName: "Ava" });
    expect((await config()).assistant).toEqual({ enabled: true, name: "Ava" });

    await admin.assistant.setInboxEnabled({ inboxId: inbox.id, enabled: false });
    expect((await config()).assistant.enabled).toBe(false);
    await admin.assistant.setInboxEnabled({ inboxId: inbox.id, enabled: true });

    // The same account on a server without OPENAI_API_KEY.
    const elsewhere = await client(keyless).widget.config({ accountToken: account.id });
    expect(elsewhere.assistant).toEqual({ enabled: false, name: "Ava" });
  });
});

describe("who answers a visitor's conversation", () => {
  it("is listed, sent when the stream starts, and changes live on a handoff without private details", async () => {
    const { admin, account } = await signUpAccount(rt);
    await admin.assistant.updateSettings({ enabled: true });
    const visitor = await newVisitor(rt, account.id);
    const w = visitor.widget.widget;
    const { conversationId } = await w.sendMessage({
      body: "Hello",
      clientMessageId: randomUUID(),
    });
    expect((await w.conversations()).map((c) => c.answeredBy)).toEqual(["assistant"]);

    const sub = subscriber(rt, { widgetToken: visitor.sessionToken });
    const stream = reader(await sub.api.widget.events({ conversationId }), sub.stop);
    const answeredBy = () =>
      (stream.events as AnsweredByEvent[])
        .filter((e) => e.type === "conversation.updated")
        .map((e) => e.answeredBy);
    await stream.until(() => stream.bodies().includes("Hello"));
    expect(answeredBy()).toEqual(["assistant"]);

    expect(await w.requestHuman({ conversationId })).toEqual({ handedOff: true });
    await stream.until(() => answeredBy().length === 2);
    expect(answeredBy()).toEqual(["assistant", "people"]);
    const update = (stream.events as AnsweredByEvent[]).at(-1);
    expect(Object.keys(update ?? {}).sort()).toEqual([
      "accountId",
      "answeredBy",
      "conversationId",
      "type",
    ]);
    // A second press changes nothing and announces nothing.
    expect(await w.requestHuman({ conversationId })).toEqual({ handedOff: false });
    expect((await w.conversations()).map((c) => c.answeredBy)).toEqual(["people"]);

    // The team got the private handoff note; the visitor never sees it.
    const { items } = await admin.messages.list({ conversationId, limit: 10 });
    expect(items.some((m) => m.private && m.metadata.kind === "handoff")).toBe(true);
    await w.sendMessage({ conversationId, body: "Still there?", clientMessageId: randomUUID() });
    await stream.until(() => stream.bodies().includes("Still there?"));
    expect(stream.messages().every((m) => !m?.private)).toBe(true);
    expect(answeredBy()).toEqual(["assistant", "people"]);
    stream.stop();

    // A visitor who reconnects learns the current state first.
    const again = subscriber(rt, { widgetToken: visitor.sessionToken });
    const resumed = reader(await again.api.widget.events({ conversationId }), again.stop);
    await resumed.until(() => resumed.events.some((e) => e.type === "conversation.updated"));
    expect(
      (resumed.events as AnsweredByEvent[]).find((e) => e.type === "conversation.updated"),
    ).toMatchObject({ answeredBy: "people" });
    resumed.stop();
  });

  it("is not changed by another visitor's request", async () => {
    const { admin, account } = await signUpAccount(rt);
    await admin.assistant.updateSettings({ enabled: true });
    const owner = await newVisitor(rt, account.id);
    const { conversationId } = await owner.widget.widget.sendMessage({
      body: "Mine",
      clientMessageId: randomUUID(),
    });
    const stranger = await newVisitor(rt, account.id);
    await expect(stranger.widget.widget.requestHuman({ conversationId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await owner.widget.widget.conversations())[0]?.answeredBy).toBe("assistant");
  });
});
