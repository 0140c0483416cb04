import { randomUUID } from "node:crypto";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

it("pages through a view with keyset cursors, newest activity first, without gaps or repeats", async () => {
  const { admin, account } = await signUpAccount(rt);
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    const v = await newVisitor(rt, account.id);
    const { conversationId } = await v.widget.widget.sendMessage({
      body: `message ${i}`,
      clientMessageId: randomUUID(),
    });
    ids.unshift(conversationId);
  }
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await admin.conversations.list({ view: "all", limit: 3, cursor });
    seen.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  expect(seen).toEqual(ids);
  await expect(admin.conversations.list({ cursor: "garbage" })).rejects.toMatchObject({
    code: "BAD_REQUEST",
  });
});

it("filters by inbox, tag, assignee and priority", async () => {
  const { admin, account, user } = await signUpAccount(rt);
  const other = await admin.inboxes.create({ name: "Other" });
  const tag = await admin.tags.create({ name: "billing" });
  const convs: string[] = [];
  for (let i = 0; i < 4; i++) {
    const v = await newVisitor(rt, account.id);
    convs.push(
      (await v.widget.widget.sendMessage({ body: `m${i}`, clientMessageId: randomUUID() }))
        .conversationId,
    );
  }
  const [c0, c1, c2] = convs as [string, string, string];
  await admin.conversations.addTag({ conversationId: c0, tagId: tag.id });
  await admin.conversations.update({ id: c1, priority: "high" });
  await admin.conversations.update({ id: c2, assigneeId: user.id });

  const ids = async (input: Parameters<typeof admin.conversations.list>[0]) =>
    (await admin.conversations.list(input)).items.map((c) => c.id);
  expect(await ids({ tagId: tag.id })).toEqual([c0]);
  expect(await ids({ view: "priority" })).toEqual([c1]);
  expect(await ids({ view: "mine" })).toEqual([c2]);
  expect(await ids({ assigneeId: user.id })).toEqual([c2]);
  expect(await ids({ inboxId: other.id })).toEqual([]);
  expect((await ids({ view: "unassigned" })).sort()).toEqual(convs.filter((c) => c !== c2).sort());
  await expect(
    admin.conversations.update({ id: c0, assigneeId: "not-a-member" }),
  ).rejects.toMatchObject({ code: "NOT_FOUND" });
});
