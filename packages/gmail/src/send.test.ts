// An agent's reply to a Gmail conversation goes out through the same mailbox,
// in the same Gmail thread, threaded by its headers, with its attachments,
// once however often the job runs; the customer's answer comes back to the
// same conversation.

import type { Config } from "@netia/config";
import { createAgentMessage, storeAttachment } from "@netia/core";
import { type Database, schema } from "@netia/db";
import { openTestDatabase } from "@netia/db/testing";
import { createMemoryBus } from "@netia/realtime";
import type { FakeGmail } from "@netia/testkit/gmail";
import { eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sendReplyThroughGmail } from "./send";
import { syncGmailConnection } from "./sync";
import {
  connectMailbox,
  countGmailMessages,
  customerMail,
  importedBodies,
  mailboxAddress,
  newAccount,
  startGmailFake,
  syncDeps,
} from "./testing/setup";

let database: Database;
let fake: FakeGmail;
let config: Config;

beforeAll(async () => {
  database = await openTestDatabase();
  ({ fake, config } = await startGmailFake());
});
afterAll(async () => {
  await fake?.close();
  await database?.close();
});

it("sends the reply in the customer's Gmail thread with In-Reply-To, References and attachments, once", async () => {
  const db = database.db;
  const owner = await newAccount(db);
  const address = mailboxAddress();
  const { connectionId } = await connectMailbox({ db, config }, fake, owner, address);
  const mailbox = fake.mailbox(address);
  const first = customerMail({
    from: "carla@customer.test",
    to: address,
    subject: "Broken export",
    text: "The CSV is empty.",
  });
  const incoming = mailbox.add(first.raw);
  const deps = syncDeps(db, config);
  await syncGmailConnection(deps, connectionId);
  const [conversation] = await db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .where(eq(schema.conversations.accountId, owner.accountId));
  const conversationId = conversation?.id as string;

  const file = await storeAttachment(db, {
    accountId: owner.accountId,
    uploader: { userId: owner.userId },
    filename: "steps.txt",
    contentType: "text/plain",
    body: [Buffer.from("1. Open settings\n2. Export again\n")],
  });
  const reply = await createAgentMessage(
    { db, bus: createMemoryBus() },
    {
      accountId: owner.accountId,
      userId: owner.userId,
      conversationId,
      body: "Sorry about that! Try these steps.",
      kind: "reply",
      attachmentIds: [file.id],
    },
  );

  expect(
    await sendReplyThroughGmail(deps, { accountId: owner.accountId, messageId: reply.id }),
  ).toBe("sent");
  // A retried job sends nothing more.
  expect(
    await sendReplyThroughGmail(deps, { accountId: owner.accountId, messageId: reply.id }),
  ).toBe("already_sent");
  const sent = fake.sent.filter((s) => s.mailbox === address);
  expect(sent).toHaveLength(1);
  const out = sent[0] as (typeof sent)[number];
  expect(out.threadId).toBe(incoming.threadId);
  const mail = await simpleParser(out.raw);
  expect(mail.inReplyTo).toBe(first.messageId);
  expect(mail.references).toContain(first.messageId);
  expect(mail.subject).toBe("Re: Broken export");
  expect(mail.from?.value[0]).toMatchObject({ address, name: "Ada Agent" });
  expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0]?.address).toBe(
    "carla@customer.test",
  );
  expect(mail.text?.trim()).toBe("Sorry about that! Try these steps.");
  expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([
    ["steps.txt", "1. Open settings\n2. Export again\n"],
  ]);

  // The sent message shows up in the mailbox's history: it is not imported back.
  await syncGmailConnection(deps, connectionId);
  expect(await countGmailMessages(db, connectionId)).toEqual({ in: 1, out: 1 });

  // The customer answers our reply: same thread, same conversation, and the
  // next reply references the whole thread.
  const answer = customerMail({
    from: "carla@customer.test",
    to: address,
    subject: "Re: Broken export",
    text: "Worked, thanks!",
    inReplyTo: mail.messageId as string,
  });
  expect(mailbox.add(answer.raw).threadId).toBe(incoming.threadId);
  await syncGmailConnection(deps, connectionId);
  expect(await importedBodies(db, owner.accountId)).toEqual([
    "The CSV is empty.",
    "Worked, thanks!",
  ]);
  const conversations = await db
    .select({ id: schema.conversations.id })
    .from(schema.conversations)
    .where(eq(schema.conversations.accountId, owner.accountId));
  expect(conversations).toHaveLength(1);
  const [thread] = await db
    .select()
    .from(schema.gmailThreads)
    .where(eq(schema.gmailThreads.conversationId, conversationId));
  expect(thread?.lastMessageIdHeader).toBe(answer.messageId);
  expect(thread?.references.split(" ")).toEqual([
    first.messageId,
    mail.messageId,
    answer.messageId,
  ]);
});
