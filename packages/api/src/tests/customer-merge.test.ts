// customers.merge: the kept customer receives the other's conversations,
// messages, notes and tags and its missing profile fields; the other is gone.
// One transaction per account: another account's customer is NOT_FOUND and
// nothing moves.
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

async function customerWithConversation(rt: Runtime, accountId: string, body: string) {
  const visitor = await newVisitor(rt, accountId);
  const { conversationId, message } = await visitor.widget.widget.sendMessage({
    body,
    clientMessageId: randomUUID(),
  });
  return { visitor, conversationId, message };
}

it("moves conversations, messages, notes and tags, fills empty fields, deletes the other", async () => {
  const { admin, account } = await signUpAccount(rt);
  const keep = await customerWithConversation(rt, account.id, "first visit");
  const remove = await customerWithConversation(rt, account.id, "second visit");
  await admin.customers.update({ id: keep.visitor.customerId, name: "Jane Doe" });
  await admin.customers.update({
    id: remove.visitor.customerId,
    name: "J. Doe",
    email: "jane@example.com",
    phone: "+1 555 0100",
    metadata: { plan: "pro" },
  });
  const company = await admin.companies.create({ name: "Doe Ltd" });
  await admin.customers.setCompany({
    customerId: remove.visitor.customerId,
    companyId: company.id,
  });
  const note = await admin.notes.create({ customerId: remove.visitor.customerId, body: "VIP" });
  const shared = await admin.tags.create({ name: "shared" });
  const only = await admin.tags.create({ name: "only-on-removed" });
  await admin.customers.addTag({ customerId: keep.visitor.customerId, tagId: shared.id });
  await admin.customers.addTag({ customerId: remove.visitor.customerId, tagId: shared.id });
  await admin.customers.addTag({ customerId: remove.visitor.customerId, tagId: only.id });

  const merged = await admin.customers.merge({
    keepId: keep.visitor.customerId,
    removeId: remove.visitor.customerId,
  });
  expect(merged).toMatchObject({
    id: keep.visitor.customerId,
    name: "Jane Doe",
    email: "jane@example.com",
    phone: "+1 555 0100",
    companyId: company.id,
    metadata: { plan: "pro" },
  });

  const kept = await admin.customers.get({ id: keep.visitor.customerId });
  expect(kept.conversations.map((c) => c.id).sort()).toEqual(
    [keep.conversationId, remove.conversationId].sort(),
  );
  expect(kept.tags.map((t) => t.name).sort()).toEqual(["only-on-removed", "shared"]);
  expect(
    (await admin.notes.list({ customerId: keep.visitor.customerId })).map((n) => n.id),
  ).toEqual([note.id]);
  const moved = await admin.messages.list({ conversationId: remove.conversationId });
  expect(moved.items.find((m) => m.id === remove.message.id)?.customerId).toBe(
    keep.visitor.customerId,
  );
  const conversation = await admin.conversations.get({ id: remove.conversationId });
  expect(conversation.customerId).toBe(keep.visitor.customerId);
  await expect(admin.customers.get({ id: remove.visitor.customerId })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
});

it("refuses to merge a customer with itself or across accounts, and moves nothing", async () => {
  const a = await signUpAccount(rt);
  const b = await signUpAccount(rt);
  const mine = await customerWithConversation(rt, a.account.id, "mine");
  const theirs = await customerWithConversation(rt, b.account.id, "theirs");

  await expect(
    a.admin.customers.merge({ keepId: mine.visitor.customerId, removeId: mine.visitor.customerId }),
  ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  for (const [keepId, removeId] of [
    [mine.visitor.customerId, theirs.visitor.customerId],
    [theirs.visitor.customerId, mine.visitor.customerId],
  ] as const) {
    await expect(a.admin.customers.merge({ keepId, removeId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  }
  const stillTheirs = await b.admin.customers.get({ id: theirs.visitor.customerId });
  expect(stillTheirs.conversations.map((c) => c.id)).toEqual([theirs.conversationId]);
  const stillMine = await a.admin.customers.get({ id: mine.visitor.customerId });
  expect(stillMine.conversations.map((c) => c.id)).toEqual([mine.conversationId]);
});
