// An agent's public reply in an email conversation goes to the customer by
// email. The reply's own transaction enqueues `email.deliver-reply`
// (createAgentMessage does, for email conversations only); the job sends it
// through the connected Gmail mailbox when the conversation came from Gmail
// (packages/gmail), and otherwise queues it here as an ordinary email over
// SMTP, threaded with In-Reply-To and References from the Message-IDs the
// conversation's emails carried, and with a signed reply-to address so the
// customer's answer comes back to the same conversation.
import { type Db, schema, type Tx } from "@netia/db";
import { and, asc, eq, inArray } from "drizzle-orm";
import { attachmentsOf } from "./attachments";
import { type ReplyAddressSettings, replyAddress } from "./email-addresses";
import { type EmailJobs, queueEmail } from "./outbound-email";

const { messages, conversations, customers, users, inboundEmails, outboundEmails } = schema;

export const DELIVER_REPLY_JOB = "email.deliver-reply";

export type DeliverReplyPayload = { accountId: string; conversationId: string; messageId: string };

/** The part of the job queue a reply needs (structural: core does not import the jobs package). */
export type EmailReplyJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof DELIVER_REPLY_JOB,
    payload: DeliverReplyPayload,
  ): Promise<string | null>;
};

export type ReplyToSend = {
  accountId: string;
  conversationId: string;
  messageId: string;
  body: string;
  agentName: string | null;
  customerId: string;
  customerEmail: string | null;
  subject: string | null;
  attachments: { id: string; filename: string; contentType: string }[];
};

/**
 * The reply as an email needs it; null when there is nothing to send (not a
 * public agent reply, not an email conversation, or the message is gone).
 */
export async function replyToSend(
  db: Db,
  input: { accountId: string; messageId: string },
): Promise<ReplyToSend | null> {
  const [row] = await db
    .select({
      conversationId: messages.conversationId,
      body: messages.body,
      type: messages.type,
      private: messages.private,
      senderType: messages.senderType,
      agentName: users.name,
      channel: conversations.channel,
      subject: conversations.subject,
      customerId: conversations.customerId,
      customerEmail: customers.email,
    })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .leftJoin(users, eq(users.id, messages.userId))
    .where(and(eq(messages.id, input.messageId), eq(messages.accountId, input.accountId)))
    .limit(1);
  if (row?.channel !== "email") return null;
  if (row.type !== "reply" || row.private || row.senderType !== "user") return null;
  const files = (await attachmentsOf(db, [input.messageId])).get(input.messageId) ?? [];
  return {
    accountId: input.accountId,
    conversationId: row.conversationId,
    messageId: input.messageId,
    body: row.body,
    agentName: row.agentName,
    customerId: row.customerId,
    customerEmail: row.customerEmail,
    subject: row.subject,
    attachments: files.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType })),
  };
}

/** "Re: <subject>", without stacking a second "Re:". */
export function replySubject(subject: string | null): string {
  const base = subject?.trim() || "Your conversation";
  return /^re:/i.test(base) ? base : `Re: ${base}`;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** The reply's HTML part: the agent's text as written, line breaks kept. */
export function replyHtml(body: string): string {
  return `<div style="font-family:sans-serif;white-space:pre-wrap">${escapeHtml(body)}</div>`;
}

/**
 * In-Reply-To and References of the next email in a conversation, from the
 * Message-IDs of the emails it received and sent, oldest first; In-Reply-To
 * is the customer's latest email (else the latest one sent).
 */
export async function conversationThreading(
  db: Db,
  conversationId: string,
): Promise<Record<string, string>> {
  const received = await db
    .select({ id: inboundEmails.messageIdHeader, at: inboundEmails.receivedAt })
    .from(inboundEmails)
    .where(eq(inboundEmails.conversationId, conversationId))
    .orderBy(asc(inboundEmails.receivedAt));
  const sent = await db
    .select({ id: outboundEmails.messageIdHeader, at: outboundEmails.createdAt })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.conversationId, conversationId),
        inArray(outboundEmails.kind, ["conversation_reply", "customer_reply"]),
      ),
    )
    .orderBy(asc(outboundEmails.createdAt));
  const all = [...received, ...sent].sort((a, b) => a.at.getTime() - b.at.getTime());
  const inReplyTo = received.at(-1)?.id ?? sent.at(-1)?.id;
  if (!inReplyTo) return {};
  const references = [...new Set(all.map((e) => e.id))].slice(-30).join(" ");
  return { "In-Reply-To": inReplyTo, References: references };
}

/**
 * Queues the reply as an email over SMTP (the conversation has no Gmail
 * thread). Once per reply: the dedupe key is the message id, so a retried job
 * queues nothing more. Returns null when there is nothing to send.
 */
export async function queueConversationReplyEmail(
  deps: { db: Db; jobs: EmailJobs; from: string; addresses: ReplyAddressSettings },
  reply: ReplyToSend,
): Promise<{ id: string; created: boolean } | null> {
  if (!reply.customerEmail) return null;
  return queueEmail(
    deps.db,
    { jobs: deps.jobs, from: deps.from },
    {
      accountId: reply.accountId,
      kind: "conversation_reply",
      to: reply.customerEmail,
      subject: replySubject(reply.subject),
      text: reply.body,
      html: replyHtml(reply.body),
      customerId: reply.customerId,
      conversationId: reply.conversationId,
      replyTo: replyAddress(deps.addresses, reply.conversationId, {
        type: "customer",
        id: reply.customerId,
      }),
      headers: await conversationThreading(deps.db, reply.conversationId),
      attachmentIds: reply.attachments.map((a) => a.id),
      dedupeKey: `reply:${reply.messageId}`,
    },
  );
}
