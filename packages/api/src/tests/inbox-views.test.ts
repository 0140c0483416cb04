// The inbox's views and filters through the real router: each view holds
// exactly the conversations it names, filters narrow any view, and the counts
// agree with the lists.
import { randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
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

/** An account with one conversation in each state a view tells apart. */
async function accountWithEveryKind() {
  const { admin, account, user, inbox } = await signUpAccount(rt);
  const { url } = await admin.team.invite({ email: uniqueEmail("teammate"), role: "agent" });
  const teammate = client(rt);
  const { user: mate } = await teammate.auth.acceptInvitation({
    token: tokenOfLink(url),
    name: "Teammate",
    password: "agent password 1",
  });
  const sales = await admin.inboxes.create({ name: "Sales" });
  const vip = await admin.tags.create({ name: `vip-${randomUUID().slice(0, 6)}` });

  const start = async (body: string) => {
    const v = await newVisitor(rt, account.id);
    const { conversationId } = await v.widget.widget.sendMessage({
      body,
      clientMessageId: randomUUID(),
    });
    return conversationId;
  };
  const unreadUnassigned = await start("unread and unassigned");
  const mine = await start("mine");
  await admin.conversations.update({ id: mine, assigneeId: user.id });
  await admin.conversations.markRead({ id: mine, read: true });
  const theirs = await start("the teammate's");
  await admin.conversations.update({ id: theirs, assigneeId: mate.id, priority: "high" });
  await admin.conversations.markRead({ id: theirs, read: true });
  await admin.conversations.addTag({ conversationId: theirs, tagId: vip.id });
  const snoozed = await start("snoozed");
  await admin.conversations.snooze({
    id: snoozed,
    until: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const closed = await start("closed");
  await admin.conversations.update({ id: closed, status: "closed" });
  await admin.conversations.addTag({ conversationId: closed, tagId: vip.id });
  // A conversation in the second inbox, by email: the inbox and channel filters.
  const inSales = await start("in sales");
  await rt.db
    .update(schema.conversations)
    .set({ inboxId: sales.id, channel: "email", read: true })
    .where(eq(schema.conversations.id, inSales));

  return {
    admin,
    user,
    mate,
    inbox,
    sales,
    vip,
    ids: { unreadUnassigned, mine, theirs, snoozed, closed, inSales },
  };
}

it("lists each view's conversations, and the counts agree", async () => {
  const { admin, inbox, sales, ids } = await accountWithEveryKind();
  const list = async (input: Parameters<typeof admin.conversations.list>[0]) =>
    (await admin.conversations.list(input)).items.map((c) => c.id).sort();
  const sorted = (...xs: string[]) => [...xs].sort();

  const expected = {
    all: sorted(ids.unreadUnassigned, ids.mine, ids.theirs, ids.inSales),
    mine: [ids.mine],
    unassigned: sorted(ids.unreadUnassigned, ids.inSales),
    unread: [ids.unreadUnassigned],
    priority: [ids.theirs],
    snoozed: [ids.snoozed],
    closed: [ids.closed],
  } as const;
  for (const [view, conversations] of Object.entries(expected)) {
    expect(await list({ view: view as keyof typeof expected }), view).toEqual(conversations);
  }

  const counts = await admin.conversations.counts();
  for (const [view, conversations] of Object.entries(expected)) {
    expect(counts[view as keyof typeof expected], view).toBe(conversations.length);
  }
  expect(counts.inboxes.sort((a, b) => a.open - b.open)).toEqual([
    { inboxId: sales.id, open: 1 },
    { inboxId: inbox.id, open: 3 },
  ]);
});

it("combines filters with views: tag, assignee, inbox and channel", async () => {
  const { admin, mate, inbox, sales, vip, ids } = await accountWithEveryKind();
  const list = async (input: Parameters<typeof admin.conversations.list>[0]) =>
    (await admin.conversations.list(input)).items.map((c) => c.id).sort();

  expect(await list({ view: "all", tagId: vip.id })).toEqual([ids.theirs]);
  expect(await list({ view: "closed", tagId: vip.id })).toEqual([ids.closed]);
  expect(await list({ view: "priority", assigneeId: mate.id, tagId: vip.id })).toEqual([
    ids.theirs,
  ]);
  expect(await list({ view: "unassigned", assigneeId: mate.id })).toEqual([]);
  expect(await list({ view: "all", inboxId: sales.id })).toEqual([ids.inSales]);
  expect(await list({ view: "unassigned", inboxId: inbox.id })).toEqual([ids.unreadUnassigned]);
  expect(await list({ view: "all", channel: "email" })).toEqual([ids.inSales]);
  expect(await list({ view: "all", channel: "email", inboxId: inbox.id })).toEqual([]);
  expect(await list({ view: "mine", channel: "chat" })).toEqual([ids.mine]);
});

it("gives each row what the list shows: customer, preview, assignee, tags, unread", async () => {
  const { admin, mate, vip, ids } = await accountWithEveryKind();
  const { items } = await admin.conversations.list({ view: "all" });
  const theirs = items.find((c) => c.id === ids.theirs);
  expect(theirs).toMatchObject({
    assigneeId: mate.id,
    priority: "high",
    read: true,
    tags: [{ id: vip.id, name: vip.name, color: vip.color }],
    lastMessage: { body: "the teammate's", senderType: "customer" },
  });
  expect(items.find((c) => c.id === ids.unreadUnassigned)).toMatchObject({
    read: false,
    assigneeId: null,
    tags: [],
  });
});

it("refuses a snooze in the past and unknown views or channels", async () => {
  const { admin, ids } = await accountWithEveryKind();
  await expect(
    admin.conversations.snooze({ id: ids.mine, until: new Date(Date.now() - 1000).toISOString() }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  await expect(
    // @ts-expect-error: not a view
    admin.conversations.list({ view: "everything" }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  await expect(
    // @ts-expect-error: not a channel
    admin.conversations.list({ channel: "fax" }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
});
