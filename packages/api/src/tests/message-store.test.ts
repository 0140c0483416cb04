// The one-statement customer message: what it stores must read back exactly as
// the query builder reads it, and it must take the conversation's lock before
// it takes a seq (the widget stream relies on seq order being commit order).
import { randomUUID } from "node:crypto";
import { createAgentMessage, createCustomerMessage, type DomainEvent } from "@netia/core";
import { createDatabase, schema } from "@netia/db";
import { channels } from "@netia/realtime";
import type { Runtime } from "@netia/runtime";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestRuntime, newVisitor, signUpAccount, testDatabaseKind } from "../testing";

let rt: Runtime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.database.close();
});

async function conversationWithVisitor() {
  const { account, user } = await signUpAccount(rt);
  const visitor = await newVisitor(rt, account.id);
  const first = await visitor.widget.widget.sendMessage({
    body: "first",
    clientMessageId: randomUUID(),
  });
  const [conversation] = await rt.db
    .select()
    .from(schema.conversations)
    .where(eq(schema.conversations.id, first.conversationId));
  if (!conversation) throw new Error("no conversation");
  return { conversation, visitor, agentId: user.id };
}

it(`returns the stored row exactly as the query builder reads it (${testDatabaseKind()})`, async () => {
  const { conversation } = await conversationWithVisitor();
  const { message, created } = await createCustomerMessage(rt, {
    accountId: conversation.accountId,
    inboxId: conversation.inboxId,
    customerId: conversation.customerId,
    conversationId: conversation.id,
    body: "read me back",
    clientMessageId: randomUUID(),
  });
  expect(created).toBe(true);
  const [row] = await rt.db
    .select()
    .from(schema.messages)
    .where(eq(schema.messages.id, message.id));
  expect(message).toEqual({ ...row, attachments: [] });
  expect(typeof message.seq).toBe("number");
  expect(message.createdAt).toBeInstanceOf(Date);

  const [after] = await rt.db
    .select()
    .from(schema.conversations)
    .where(eq(schema.conversations.id, conversation.id));
  expect(after?.lastActivityAt).toEqual(message.createdAt);
  expect(after?.read).toBe(false);
});

it("does not touch the conversation again when a retry finds its message stored", async () => {
  const { conversation, visitor } = await conversationWithVisitor();
  const send = { conversationId: conversation.id, body: "once", clientMessageId: randomUUID() };
  const first = await visitor.widget.widget.sendMessage(send);
  // An agent reads it; a late retry of the same send must not make it unread again.
  await rt.db
    .update(schema.conversations)
    .set({ read: true })
    .where(eq(schema.conversations.id, conversation.id));
  const retry = await visitor.widget.widget.sendMessage(send);
  expect(retry.message.id).toBe(first.message.id);
  const [after] = await rt.db
    .select()
    .from(schema.conversations)
    .where(eq(schema.conversations.id, conversation.id));
  expect(after?.read).toBe(true);
});

it("a note only moves the conversation up; a reply reads, takes and answers it", async () => {
  const { conversation, agentId } = await conversationWithVisitor();
  const { admin: otherAdmin } = await signUpAccount(rt);
  const read = async () =>
    (
      await rt.db
        .select()
        .from(schema.conversations)
        .where(eq(schema.conversations.id, conversation.id))
    )[0];
  const deps = rt;
  const note = await createAgentMessage(deps, {
    accountId: conversation.accountId,
    userId: agentId,
    conversationId: conversation.id,
    body: "between us",
    kind: "note",
    quickReplies: ["not for notes"],
  });
  expect(note).toMatchObject({ private: true, type: "note", metadata: {} });
  const [noteRow] = await rt.db
    .select()
    .from(schema.messages)
    .where(eq(schema.messages.id, note.id));
  expect(note).toEqual({ ...noteRow, attachments: [] });
  let after = await read();
  expect(after).toMatchObject({ read: false, assigneeId: null, firstRepliedAt: null });
  expect(after?.lastActivityAt).toEqual(note.createdAt);
  // A note is no message of the visitor's: the newest public one is still theirs.
  expect(after?.lastPublicSeq).toBe(conversation.lastPublicSeq);
  expect(after?.lastPublicSeq).toBeLessThan(note.seq);

  const reply = await createAgentMessage(deps, {
    accountId: conversation.accountId,
    userId: agentId,
    conversationId: conversation.id,
    body: "hello",
    kind: "reply",
    quickReplies: ["Yes", "No"],
  });
  expect(reply).toMatchObject({ private: false, metadata: { quickReplies: ["Yes", "No"] } });
  after = await read();
  expect(after).toMatchObject({ read: true, assigneeId: agentId, lastPublicSeq: reply.seq });
  expect(after?.firstRepliedAt).toEqual(reply.createdAt);

  // Another account's agent cannot write into it.
  await expect(
    otherAdmin.messages.reply({ conversationId: conversation.id, body: "intruder" }),
  ).rejects.toMatchObject({ code: "NOT_FOUND" });
});

it("refuses another customer's conversation", async () => {
  const { conversation } = await conversationWithVisitor();
  const stranger = await newVisitor(rt, conversation.accountId);
  await expect(
    stranger.widget.widget.sendMessage({
      conversationId: conversation.id,
      body: "not mine",
      clientMessageId: randomUUID(),
    }),
  ).rejects.toMatchObject({ code: "NOT_FOUND" });
});

describe.runIf(testDatabaseKind() === "postgres")("with a second connection", () => {
  it("waits for the conversation's lock before it takes a seq", async () => {
    const { conversation } = await conversationWithVisitor();
    const other = createDatabase({
      kind: "postgres",
      url: process.env.NETIA_TEST_DATABASE_URL as string,
      ssl: false,
      poolSize: 1,
    });
    // Not transactional: shows whether a seq was taken while the send waited.
    const lastSeq = async () => {
      const result = (await rt.db.execute(
        sql`select last_value as v from messages_seq_seq`,
      )) as unknown as { rows: { v: string }[] };
      return Number(result.rows[0]?.v);
    };
    let waiting: ReturnType<typeof createCustomerMessage> | undefined;
    try {
      const holderSeq = await other.db.transaction(async (tx) => {
        // Another writer holds the conversation, as a concurrent send would.
        await tx.execute(
          sql`select id from conversations where id = ${conversation.id} for update`,
        );
        const seqBefore = await lastSeq();
        let done = false;
        waiting = createCustomerMessage(rt, {
          accountId: conversation.accountId,
          inboxId: conversation.inboxId,
          customerId: conversation.customerId,
          conversationId: conversation.id,
          body: "after the lock",
          clientMessageId: randomUUID(),
        }).finally(() => {
          done = true;
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(done).toBe(false);
        // Blocked before its insert: no seq taken yet.
        expect(await lastSeq()).toBe(seqBefore);
        const [held] = await tx
          .insert(schema.messages)
          .values({
            accountId: conversation.accountId,
            conversationId: conversation.id,
            senderType: "customer",
            customerId: conversation.customerId,
            body: "holder",
          })
          .returning();
        return held?.seq ?? Number.NaN;
      });
      const { message } = await (waiting as NonNullable<typeof waiting>);
      expect(message.seq).toBeGreaterThan(holderSeq);
    } finally {
      await other.close();
    }
  });

  it("reads the previous public seq from the committed row it waited for, not its own snapshot", async () => {
    const { conversation } = await conversationWithVisitor();
    const other = createDatabase({
      kind: "postgres",
      url: process.env.NETIA_TEST_DATABASE_URL as string,
      ssl: false,
      poolSize: 1,
    });
    const input = {
      accountId: conversation.accountId,
      inboxId: conversation.inboxId,
      customerId: conversation.customerId,
      conversationId: conversation.id,
    };
    const announced = new Map<string, number | null | undefined>();
    const unsubscribe = await rt.bus.subscribe(
      channels.conversation(conversation.accountId, conversation.id),
      (event) => {
        const e = event as DomainEvent;
        if (e.type === "message.created") announced.set(e.message.id, e.previousSeq);
      },
    );
    let waiting: ReturnType<typeof createCustomerMessage> | undefined;
    try {
      // A concurrent send holds the row (and has moved last_public_seq) while
      // ours starts its statement: ours must see the holder's message as the
      // one before it, or a visitor's stream would deliver ours first and then
      // drop the holder's as already passed.
      const holder = await other.db.transaction(async (tx) => {
        const sent = await createCustomerMessage(
          { db: tx, bus: rt.bus },
          { ...input, body: "holder", clientMessageId: randomUUID() },
        );
        waiting = createCustomerMessage(rt, {
          ...input,
          body: "waits for the holder",
          clientMessageId: randomUUID(),
        });
        await new Promise((r) => setTimeout(r, 300));
        return sent.message;
      });
      const ours = await (waiting as NonNullable<typeof waiting>);
      expect(ours.message.seq).toBeGreaterThan(holder.seq);
      // What the visitor's stream is told is the event on the bus.
      await vi.waitFor(() => expect(announced.get(ours.message.id)).toBe(holder.seq));
    } finally {
      unsubscribe();
      await other.close();
    }
  });
});
