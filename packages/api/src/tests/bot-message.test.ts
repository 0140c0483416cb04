// A bot message (the assistant's reply) is written by createBotMessage through
// the same locked statement as customers' and agents' messages: the visitor's
// stream gets it once and in order, and a retried job with the same key stores
// one message.
import { randomUUID } from "node:crypto";
import { createBotMessage, isAppError } from "@netia/core";
import { schema } from "@netia/db";
import { channels, type Payload } from "@netia/realtime";
import { closeRuntime, type Runtime } from "@netia/runtime";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount } from "../testing";
import { reader, subscriber } from "./streams";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await closeRuntime(rt);
});

async function botMessages(conversationId: string) {
  return rt.db
    .select()
    .from(schema.messages)
    .where(
      and(
        eq(schema.messages.conversationId, conversationId),
        eq(schema.messages.senderType, "bot"),
      ),
    );
}

/** A visitor's conversation with one customer message, and the visitor's live stream. */
async function conversationWithStream() {
  const { account } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const first = await visitor.widget.widget.sendMessage({
    body: "What are your opening hours?",
    clientMessageId: randomUUID(),
  });
  const sub = subscriber(rt, { widgetToken: visitor.sessionToken });
  const stream = reader(
    await sub.api.widget.events({ conversationId: first.conversationId }),
    sub.stop,
  );
  await stream.until(() => stream.messages().length === 1);
  return { account, visitor, first, stream };
}

describe("createBotMessage", () => {
  it("reaches the visitor's stream once and in order, with the previous public seq", async () => {
    const { account, visitor, first, stream } = await conversationWithStream();
    const { conversationId } = first;
    const published: Payload[] = [];
    const unsubscribe = await rt.bus.subscribe(
      channels.conversation(account.id, conversationId),
      (payload) => published.push(payload),
    );

    const reply = {
      accountId: account.id,
      conversationId,
      body: "We are open 9 to 5, Monday to Friday.",
      idempotencyKey: first.message.id,
      metadata: { quickReplies: ["Thanks", "Talk to a person"] },
    };
    const stored = await createBotMessage(rt, reply);
    // The job runs again (its worker died before recording success): same key.
    const retried = await createBotMessage(rt, reply);
    const next = await visitor.widget.widget.sendMessage({
      conversationId,
      body: "Thanks",
      clientMessageId: randomUUID(),
    });
    await stream.until(() => stream.messages().some((m) => m?.id === next.message.id));

    expect(stored.created).toBe(true);
    expect(retried).toMatchObject({ created: false, message: { id: stored.message.id } });
    expect(stored.message).toMatchObject({
      type: "bot",
      senderType: "bot",
      private: false,
      userId: null,
      customerId: null,
      metadata: { quickReplies: ["Thanks", "Talk to a person"] },
    });
    expect(stream.messages().map((m) => m?.id)).toEqual([
      first.message.id,
      stored.message.id,
      next.message.id,
    ]);
    expect(await botMessages(conversationId)).toHaveLength(1);
    // Announced with the seq before it, read under the conversation's lock.
    const created = published.find(
      (p) =>
        p.type === "message.created" &&
        (p.message as { id: string }).id === stored.message.id &&
        "previousSeq" in p,
    );
    expect(created?.previousSeq).toBe(first.message.seq);
    unsubscribe();
    stream.stop();
  });

  it("stores one message when the same key is written concurrently", async () => {
    const { account, first, stream } = await conversationWithStream();
    const input = {
      accountId: account.id,
      conversationId: first.conversationId,
      body: "One answer only",
      idempotencyKey: `reply-to:${first.message.id}`,
    };
    const results = await Promise.all([1, 2, 3].map(() => createBotMessage(rt, input)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(await botMessages(first.conversationId)).toHaveLength(1);
    stream.stop();
  });

  it("keeps bot keys out of customers' reach and other accounts' conversations", async () => {
    const { account, visitor, first, stream } = await conversationWithStream();
    const { conversationId } = first;
    // A customer cannot take the key of the bot's coming reply.
    const squat = await visitor.widget.widget
      .sendMessage({ conversationId, body: "mine", clientMessageId: `bot:${first.message.id}` })
      .catch((error: unknown) => error);
    expect(squat).toMatchObject({ code: "BAD_REQUEST" });
    const reply = await createBotMessage(rt, {
      accountId: account.id,
      conversationId,
      body: "Still answered",
      idempotencyKey: first.message.id,
    });
    expect(reply.created).toBe(true);
    // Another account's id does not reach this conversation.
    const other = await signUpAccount(rt);
    const foreign = await createBotMessage(rt, {
      accountId: other.account.id,
      conversationId,
      body: "Not yours",
      idempotencyKey: randomUUID(),
    }).catch((error: unknown) => error);
    expect(isAppError(foreign) && foreign.code).toBe("NOT_FOUND");
    expect((await botMessages(conversationId)).map((m) => m.body)).toEqual(["Still answered"]);
    stream.stop();
  });
});
