import { randomUUID } from "node:crypto";
import { schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

async function countMessages(customerId: string) {
  return (
    await rt.db.select().from(schema.messages).where(eq(schema.messages.customerId, customerId))
  ).length;
}

it("stores a widget message once when it is sent twice with one client message id", async () => {
  const { account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const send = { body: "only once", clientMessageId: randomUUID() };
  const first = await visitor.widget.widget.sendMessage(send);
  const second = await visitor.widget.widget.sendMessage(send);
  expect(second.message.id).toBe(first.message.id);
  expect(second.conversationId).toBe(first.conversationId);
  expect(await countMessages(visitor.customerId)).toBe(1);

  const followUp = {
    conversationId: first.conversationId,
    body: "again",
    clientMessageId: randomUUID(),
  };
  const a = await visitor.widget.widget.sendMessage(followUp);
  const b = await visitor.widget.widget.sendMessage(followUp);
  expect(b.message.id).toBe(a.message.id);
  expect(await countMessages(visitor.customerId)).toBe(2);
});

it("stores one message and one conversation when retries race", async () => {
  const { admin, account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const send = { body: "racing", clientMessageId: randomUUID() };
  const results = await Promise.all(
    Array.from({ length: 8 }, () => visitor.widget.widget.sendMessage(send)),
  );
  expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
  expect(await countMessages(visitor.customerId)).toBe(1);
  expect((await admin.conversations.list({ view: "all" })).items).toHaveLength(1);
});

it("stores an agent reply once per client message id", async () => {
  const { admin, account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const { conversationId } = await visitor.widget.widget.sendMessage({
    body: "hi",
    clientMessageId: randomUUID(),
  });
  const reply = { conversationId, body: "hello", clientMessageId: randomUUID() };
  const [x, y] = await Promise.all([admin.messages.reply(reply), admin.messages.reply(reply)]);
  expect(x.id).toBe(y.id);
  expect((await admin.messages.list({ conversationId })).items).toHaveLength(2);
});

it("does not let a visitor reuse another visitor's client message id to read their message", async () => {
  const { account } = await signUpAccount(rt);
  const one = await newVisitor(rt, account.id);
  const two = await newVisitor(rt, account.id);
  const clientMessageId = randomUUID();
  const mine = await one.widget.widget.sendMessage({ body: "private words", clientMessageId });
  const theirs = await two.widget.widget.sendMessage({ body: "other words", clientMessageId });
  expect(theirs.message.id).not.toBe(mine.message.id);
  expect(theirs.message.body).toBe("other words");
});
