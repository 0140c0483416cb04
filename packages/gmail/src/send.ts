// An agent's reply to a conversation that came from Gmail goes out through the
// same mailbox, in the same Gmail thread: users.messages.send with the
// thread's id, In-Reply-To the newest message of the thread and References
// all of them, so it threads for the customer and in the mailbox alike. The
// MIME message (text, HTML, attachments) is built by nodemailer's MailComposer.
//
// Once per reply: the sent Gmail id is claimed in gmail_messages (direction
// out) for the reply's message id, and a retried job that finds the claim
// sends nothing. The claim is written right after Google accepted the message;
// only a process dying between the two could send it twice.
import { randomUUID } from "node:crypto";
import { readAttachment, replyHtml, replySubject, replyToSend } from "@netia/core";
import { schema } from "@netia/db";
import { and, eq } from "drizzle-orm";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { connectedGmail, type GmailDeps, loadConnection } from "./client";

const { gmailMessages, gmailThreads } = schema;

export type GmailReplyOutcome = "sent" | "already_sent" | "nothing_to_send" | "no_thread";

async function readAll(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Whether the conversation lives in a Gmail thread (its replies then go through Gmail). */
export async function gmailThreadOf(deps: Pick<GmailDeps, "db">, conversationId: string) {
  const [thread] = await deps.db
    .select()
    .from(gmailThreads)
    .where(eq(gmailThreads.conversationId, conversationId))
    .limit(1);
  return thread ?? null;
}

export async function sendReplyThroughGmail(
  deps: GmailDeps,
  input: { accountId: string; messageId: string },
): Promise<GmailReplyOutcome> {
  const reply = await replyToSend(deps.db, input);
  if (!reply?.customerEmail) return "nothing_to_send";
  const thread = await gmailThreadOf(deps, reply.conversationId);
  if (!thread) return "no_thread";
  const [sentBefore] = await deps.db
    .select({ gmailId: gmailMessages.gmailId })
    .from(gmailMessages)
    .where(and(eq(gmailMessages.messageId, reply.messageId), eq(gmailMessages.direction, "out")))
    .limit(1);
  if (sentBefore) return "already_sent";

  const connection = await loadConnection(deps.db, thread.connectionId);
  if (!connection) return "nothing_to_send";
  const gmail = connectedGmail(deps, connection);
  const domain = connection.emailAddress.split("@")[1] ?? "gmail.netia";
  const messageIdHeader = `<${randomUUID()}@${domain}>`;
  const references = thread.references.split(" ").filter(Boolean);
  const attachments = await Promise.all(
    reply.attachments.map(async (file) => ({
      filename: file.filename,
      contentType: file.contentType,
      content: await readAll(readAttachment(deps.db, file.id)),
    })),
  );
  const mime = await new MailComposer({
    from: reply.agentName
      ? { name: reply.agentName, address: connection.emailAddress }
      : connection.emailAddress,
    to: reply.customerEmail,
    subject: replySubject(thread.subject),
    text: reply.body,
    html: replyHtml(reply.body),
    messageId: messageIdHeader,
    ...(thread.lastMessageIdHeader && { inReplyTo: thread.lastMessageIdHeader }),
    ...(references.length && { references }),
    attachments,
  })
    .compile()
    .build();

  const { data } = await gmail.call((api) =>
    api.users.messages.send({
      userId: "me",
      requestBody: { raw: mime.toString("base64url"), threadId: thread.threadId },
    }),
  );
  if (!data.id) throw new Error("gmail accepted the reply but returned no id");
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(gmailMessages)
      .values({
        connectionId: connection.id,
        gmailId: data.id as string,
        accountId: connection.accountId,
        messageId: reply.messageId,
        direction: "out",
      })
      .onConflictDoUpdate({
        target: [gmailMessages.connectionId, gmailMessages.gmailId],
        set: { messageId: reply.messageId, direction: "out" },
      });
    await tx
      .update(gmailThreads)
      .set({
        lastMessageIdHeader: messageIdHeader,
        references: [...references, messageIdHeader].slice(-30).join(" "),
      })
      .where(eq(gmailThreads.conversationId, thread.conversationId));
  });
  return "sent";
}
