// @mentions through the real router: a mention is stored with its message and
// announced, only active teammates can be mentioned, and the mentions view
// lists and counts what the agent has still to read.
import { randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import { channels } from "@netia/realtime";
import type { Runtime } from "@netia/runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import {
  client,
  createTestRuntime,
  newVisitor,
  signUpAccount,
  tokenOfLink,
  uniqueEmail,
} from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

/** An account with an admin, an agent teammate and one conversation from a visitor. */
async function teamWithConversation() {
  const owner = await signUpAccount(rt);
  const join = async (name: string) => {
    const { url } = await owner.admin.team.invite({ email: uniqueEmail(name), role: "agent" });
    const agent = client(rt);
    const { user } = await agent.auth.acceptInvitation({
      token: tokenOfLink(url),
      name,
      password: "agent password 1",
    });
    return { agent, user };
  };
  const mate = await join("Bea");
  const visitor = await newVisitor(rt, owner.account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hello",
    clientMessageId: randomUUID(),
  });
  return { ...owner, mate, join, conversationId };
}

const mentionRows = (messageId: string) =>
  rt.db.select().from(schema.mentions).where(eq(schema.mentions.messageId, messageId));

it("stores a note's mention once, announces it, and the mentioned agent's view lists and counts it until read", async () => {
  const { admin, user, account, mate, conversationId } = await teamWithConversation();
  const events: { type: string; userId?: string; messageId?: string }[] = [];
  const stop = await rt.bus.subscribe(channels.account(account.id), (e) => {
    const event = e as (typeof events)[number];
    if (event.type === "mention.created") events.push(event);
  });
  try {
    const note = await admin.messages.note({
      conversationId,
      body: "@Bea can you take this?",
      // Repeats collapse, and the author mentioning themself is dropped.
      mentionedUserIds: [mate.user.id, mate.user.id, user.id],
    });
    const rows = await mentionRows(note.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      accountId: account.id,
      conversationId,
      userId: mate.user.id,
      mentionedById: user.id,
      readAt: null,
    });
    await vi.waitFor(() =>
      expect(events).toEqual([
        expect.objectContaining({ userId: mate.user.id, messageId: note.id, conversationId }),
      ]),
    );
  } finally {
    stop();
  }

  // The mentioned agent sees it; the author, who was not mentioned, does not.
  const mentionsOf = async (who: typeof admin) =>
    (await who.conversations.list({ view: "mentions" })).items.map((c) => c.id);
  expect(await mentionsOf(mate.agent)).toEqual([conversationId]);
  expect(await mentionsOf(admin)).toEqual([]);
  expect((await mate.agent.conversations.counts()).mentions).toBe(1);
  expect((await admin.conversations.counts()).mentions).toBe(0);
  // What tells the dashboard to mark it read on opening, though the team read it.
  expect(await mate.agent.conversations.get({ id: conversationId })).toMatchObject({
    unreadMentions: 1,
  });
  expect((await admin.conversations.get({ id: conversationId })).unreadMentions).toBe(0);

  // Someone else reading the conversation leaves the mention unread.
  await admin.conversations.markRead({ id: conversationId });
  expect((await mate.agent.conversations.counts()).mentions).toBe(1);

  await mate.agent.conversations.markRead({ id: conversationId });
  expect((await mate.agent.conversations.counts()).mentions).toBe(0);
  expect((await mate.agent.conversations.get({ id: conversationId })).unreadMentions).toBe(0);
  // Read mentions stay in the view; only the count is of unread ones.
  expect(await mentionsOf(mate.agent)).toEqual([conversationId]);
  const [row] = await rt.db
    .select()
    .from(schema.mentions)
    .where(eq(schema.mentions.conversationId, conversationId));
  expect(row?.readAt).toBeInstanceOf(Date);
});

it("counts a mention in a public reply too, and lists closed conversations", async () => {
  const { admin, mate, conversationId } = await teamWithConversation();
  await admin.messages.reply({
    conversationId,
    body: "@Bea will follow up",
    mentionedUserIds: [mate.user.id],
  });
  await admin.conversations.update({ id: conversationId, status: "closed" });
  expect(
    (await mate.agent.conversations.list({ view: "mentions" })).items.map((c) => c.id),
  ).toEqual([conversationId]);
  expect((await mate.agent.conversations.counts()).mentions).toBe(1);
});

it("pages the mentions view by last activity", async () => {
  const { admin, account, mate, conversationId: first } = await teamWithConversation();
  const ids = [first];
  for (let i = 0; i < 2; i++) {
    const v = await newVisitor(rt, account.id);
    const { conversationId } = await v.widget.widget.sendMessage({
      body: `conversation ${i}`,
      clientMessageId: randomUUID(),
    });
    ids.push(conversationId);
  }
  for (const conversationId of ids) {
    await admin.messages.note({ conversationId, body: "@Bea", mentionedUserIds: [mate.user.id] });
  }
  const one = await mate.agent.conversations.list({ view: "mentions", limit: 2 });
  expect(one.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
  const two = await mate.agent.conversations.list({
    view: "mentions",
    limit: 2,
    cursor: one.nextCursor ?? undefined,
  });
  expect(two.items.map((c) => c.id)).toEqual([ids[0]]);
  expect(two.nextCursor).toBeNull();
  expect((await mate.agent.conversations.counts()).mentions).toBe(3);
});

it("refuses a mention of a user of another account or of a disabled member, and stores nothing", async () => {
  const { admin, mate, join, conversationId } = await teamWithConversation();
  const other = await signUpAccount(rt);
  const before = await admin.messages.list({ conversationId });

  await expect(
    admin.messages.note({ conversationId, body: "@Other", mentionedUserIds: [other.user.id] }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });

  const leaver = await join("Lee");
  await admin.team.setDisabled({ userId: leaver.user.id, disabled: true });
  await expect(
    admin.messages.reply({
      conversationId,
      body: "@Bea @Lee",
      mentionedUserIds: [mate.user.id, leaver.user.id],
    }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });

  // Neither message was stored, so nobody got a mention.
  expect((await admin.messages.list({ conversationId })).items).toHaveLength(before.items.length);
  expect((await mate.agent.conversations.counts()).mentions).toBe(0);
  expect((await other.admin.conversations.counts()).mentions).toBe(0);
});

it("stores no second mention for a repeated send", async () => {
  const { admin, mate, conversationId } = await teamWithConversation();
  const send = () =>
    admin.messages.reply({
      conversationId,
      body: "@Bea",
      clientMessageId: "same-send",
      mentionedUserIds: [mate.user.id],
    });
  const first = await send();
  const again = await send();
  expect(again.id).toBe(first.id);
  expect(await mentionRows(first.id)).toHaveLength(1);
});
