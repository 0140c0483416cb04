// The live streams through in-process callers on the embedded event bus; the
// multi-node behaviour over websockets and Redis is tested in apps/web/src/e2e.
import { randomUUID } from "node:crypto";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";
import * as streams from "./streams";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

const subscriber = (auth: { cookie?: string; widgetToken?: string }) =>
  streams.subscriber(rt, auth);
const { reader } = streams;

describe("widget.events", () => {
  it("sends the backlog after lastEventId, then live messages, never private notes", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const w = visitor.widget.widget;
    const { conversationId, message } = await w.sendMessage({
      body: "one",
      clientMessageId: randomUUID(),
    });
    await admin.messages.reply({ conversationId, body: "two" });
    await admin.messages.note({ conversationId, body: "secret note" });

    const sub = subscriber({ widgetToken: visitor.sessionToken });
    const stream = reader(
      await sub.api.widget.events({ conversationId, lastEventId: String(message.seq) }),
      sub.stop,
    );
    await stream.until(() => stream.bodies().includes("two"));
    await admin.messages.reply({ conversationId, body: "three" });
    await admin.messages.note({ conversationId, body: "another note" });
    await w.sendMessage({ conversationId, body: "four", clientMessageId: randomUUID() });
    await stream.until(() => stream.bodies().includes("four"));
    expect(stream.bodies()).toEqual(["two", "three", "four"]);
    // The agent reading the conversation shows as "seen" on the visitor's side.
    await admin.conversations.markRead({ id: conversationId, read: true });
    await stream.until(() => stream.events.some((e) => e.type === "conversation.read"));
    expect(stream.events[0]).toEqual({ type: "availability", agentsOnline: false });
    stream.stop();
  });
});

describe("dashboard.events", () => {
  it("resumes after lastEventId with notes included and tells the inbox what changed", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const first = await visitor.widget.widget.sendMessage({
      body: "hello",
      clientMessageId: randomUUID(),
    });
    const { conversationId } = first;
    await admin.messages.note({ conversationId, body: "note while away" });

    const sub = subscriber({ cookie: admin.cookieHeader() });
    const stream = reader(
      await sub.api.dashboard.events({ lastEventId: String(first.message.seq) }),
      sub.stop,
    );
    await stream.until(() => stream.bodies().includes("note while away"));
    expect(stream.events[0]?.type).toBe("presence.snapshot");
    await admin.conversations.update({ id: conversationId, status: "closed" });
    await stream.until(() => stream.events.some((e) => e.type === "conversation.updated"));
    const other = await newVisitor(rt, account.id);
    await other.widget.widget.sendMessage({ body: "new one", clientMessageId: randomUUID() });
    await stream.until(() => stream.events.some((e) => e.type === "conversation.created"));
    // At least once: anything repeated is a message already seen, never a gap.
    const bodies = stream.bodies();
    expect(bodies).toContain("new one");
    expect(bodies.filter((b) => b === "note while away")).toHaveLength(1);
    // Every event carries the newest seq so far, so a reconnect resumes from it.
    const ids = stream.ids.map(Number);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    const lastMessage = stream.events.filter((e) => e.type === "message.created").at(-1);
    expect(ids.at(-1)).toBe(lastMessage?.message?.seq);
    stream.stop();
  });

  it("does not repeat a backlog message whose live event comes after it", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const first = await visitor.widget.widget.sendMessage({
      body: "before",
      clientMessageId: randomUUID(),
    });
    const sent = await visitor.widget.widget.sendMessage({
      conversationId: first.conversationId,
      body: "in the backlog",
      clientMessageId: randomUUID(),
    });
    const sub = subscriber({ cookie: admin.cookieHeader() });
    const stream = reader(
      await sub.api.dashboard.events({ lastEventId: String(first.message.seq) }),
      sub.stop,
    );
    await stream.until(() => stream.bodies().includes("in the backlog"));
    // Its live event, as when it was published while the backlog was being read.
    const { publish, serializeMessage } = await import("@netia/core");
    publish(rt, {
      type: "message.created",
      accountId: account.id,
      conversationId: first.conversationId,
      message: serializeMessage({
        ...sent.message,
        accountId: account.id,
        createdAt: new Date(sent.message.createdAt),
        seenAt: null,
      }),
    });
    const after = await visitor.widget.widget.sendMessage({
      conversationId: first.conversationId,
      body: "live",
      clientMessageId: randomUUID(),
    });
    await stream.until(() => stream.bodies().includes("live"));
    // ("before" may come too: a resume looks back for late commits.)
    expect(stream.bodies().filter((b) => b === "in the backlog")).toHaveLength(1);
    expect(after.message.seq).toBeGreaterThan(sent.message.seq);
    stream.stop();
  });

  it("shows the agent online to the account's visitors while subscribed", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "anyone there?",
      clientMessageId: randomUUID(),
    });
    const w = subscriber({ widgetToken: visitor.sessionToken });
    const widget = reader(await w.api.widget.events({ conversationId }), w.stop);
    await widget.until(() => widget.events.some((e) => e.type === "availability"));
    const d = subscriber({ cookie: admin.cookieHeader() });
    const dashboard = reader(await d.api.dashboard.events({}), d.stop);
    await widget.until(() =>
      widget.events.some(
        (e) => e.type === "availability" && (e as { agentsOnline?: boolean }).agentsOnline,
      ),
    );
    dashboard.stop();
    await widget.until(
      () => (widget.events.at(-1) as { agentsOnline?: boolean }).agentsOnline === false,
    );
    widget.stop();
  });
});

describe("typing and counts", () => {
  it("throttles typing reports and counts conversations per view", async () => {
    const { admin, account } = await signUpAccount(rt);
    const visitor = await newVisitor(rt, account.id);
    const { conversationId } = await visitor.widget.widget.sendMessage({
      body: "hi",
      clientMessageId: randomUUID(),
    });
    expect(await visitor.widget.widget.typing({ conversationId })).toEqual({ published: true });
    expect(await visitor.widget.widget.typing({ conversationId })).toEqual({ published: false });
    expect(await admin.conversations.typing({ conversationId })).toEqual({ published: true });
    expect(await admin.conversations.counts()).toEqual({
      all: 1,
      mine: 0,
      unassigned: 1,
      unread: 1,
      priority: 0,
      snoozed: 0,
      closed: 0,
      mentions: 0,
      inboxes: [{ inboxId: expect.any(String), open: 1 }],
    });
  });
});

describe("late commits", () => {
  it("delivers a message whose lower seq is published after a higher one (other conversations)", async () => {
    const { admin, account } = await signUpAccount(rt);
    const sub = subscriber({ cookie: admin.cookieHeader() });
    const stream = reader(await sub.api.dashboard.events({}), sub.stop);
    await stream.until(() => stream.events.some((e) => e.type === "presence.snapshot"));
    // Two visitors write; the bus then sees the second (higher seq) before the first,
    // as happens when their transactions commit in the other order.
    const one = await newVisitor(rt, account.id);
    const two = await newVisitor(rt, account.id);
    const first = await one.widget.widget.sendMessage({
      body: "first",
      clientMessageId: randomUUID(),
    });
    const second = await two.widget.widget.sendMessage({
      body: "second",
      clientMessageId: randomUUID(),
    });
    await stream.until(() => stream.bodies().includes("second"));
    const { publish } = await import("@netia/core");
    type Published = Parameters<typeof publish>[1] & { type: "message.created" };
    publish(rt, {
      type: "message.created",
      accountId: account.id,
      conversationId: first.conversationId,
      message: {
        ...first.message,
        accountId: account.id,
        id: randomUUID(),
        body: "first, committed late",
      } as unknown as Published["message"],
    });
    await stream.until(() => stream.bodies().includes("first, committed late"));
    expect(first.message.seq).toBeLessThan(second.message.seq);
    stream.stop();
  });
});
