// Mail that reaches Netia (the inbound SMTP listener, the inbound-parse
// endpoint) becomes messages here. Two kinds of address are ours:
//  - a signed reply-to address (email-addresses.ts): the answer to a
//    notification, stored in its conversation as the customer's message or as
//    the reply of the agent the notification went to;
//  - an inbox's public address, inbox-<inbox id>@<INBOUND_EMAIL_DOMAIN>: a new
//    email conversation, or a message in one when the mail answers it
//    (In-Reply-To/References match one of its Message-IDs).
// Every accepted or ignored mail leaves an inbound_emails row, unique per
// account and Message-ID, written in the transaction that writes the message:
// a mail delivered twice, even at the same moment, is stored once.
// Mail sent by machines (auto-replies, bounces, Netia's own mail coming back)
// is recorded and never becomes a message, so two autoresponders cannot talk
// to each other through a conversation.
import { createHash } from "node:crypto";
import { type Db, schema } from "@netia/db";
import { type InboundEmail, parseInboundEmail } from "@netia/email";
import { and, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import {
  ALLOWED_CONTENT_TYPES,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_MESSAGE,
  storeAttachment,
} from "./attachments";
import { announceConversationStarted } from "./conversation-started";
import {
  parseReplyAddress,
  type ReplyAddressSettings,
  replyAddressSignedFor,
  uuidFromBase32,
  uuidToBase32,
} from "./email-addresses";
import type { WriteDeps } from "./events";
import { heldBus } from "./held-bus";
import { createAgentMessage, createCustomerMessage } from "./message-writes";
import { enqueueWebhookEvents, type WebhookJobs } from "./webhook-events";

const { inboundEmails, outboundEmails, conversations, customers, memberships, users, inboxes } =
  schema;

export type InboundSource = "smtp" | "http";

export type InboundEmailDeps = WriteDeps & { settings: ReplyAddressSettings };

/** What became of the mail at one of our addresses. */
export type InboundOutcome =
  | "accepted"
  /** The same Message-ID was received before (a redelivery): nothing new stored. */
  | "duplicate"
  | "auto_reply"
  | "bounce"
  | "loop"
  /** Nothing left once quoted text and signature were removed, and no file. */
  | "empty";

export type InboundDelivery = {
  address: string;
  accountId: string;
  outcome: InboundOutcome;
  conversationId: string | null;
  messageId: string | null;
};

export type InboundResult = {
  /** One per address of ours that the mail could be delivered to. */
  deliveries: InboundDelivery[];
  /** Addresses of our domain that were refused (forged, unknown), with why. */
  refused: { address: string; reason: string }[];
};

/** Longest message body stored (the dashboard's and widget's own limit). */
const MAX_BODY_CHARS = 10_000;
const INBOX_LOCAL_PART = /^inbox-([a-z2-7]{26})$/;

/** The public address of an inbox: new mail to it starts email conversations. */
export function inboxAddress(settings: ReplyAddressSettings, inboxId: string): string | null {
  if (!settings.inboundDomain) return null;
  return `inbox-${uuidToBase32(inboxId)}@${settings.inboundDomain}`;
}

/** The inbox an inbox address names, or null when `address` is not one. */
export function parseInboxAddress(settings: ReplyAddressSettings, address: string): string | null {
  const at = address.lastIndexOf("@");
  if (at < 0 || !settings.inboundDomain) return null;
  if (address.slice(at + 1).toLowerCase() !== settings.inboundDomain) return null;
  const match = INBOX_LOCAL_PART.exec(address.slice(0, at).toLowerCase());
  return match ? uuidFromBase32(match[1] as string) : null;
}

type Sender = { type: "customer"; customerId: string } | { type: "user"; userId: string };

/** Where the mail at one address goes, once the address is believed. */
type Target =
  | {
      kind: "reply";
      address: string;
      accountId: string;
      conversationId: string;
      inboxId: string;
      sender: Sender;
    }
  | { kind: "inbox"; address: string; accountId: string; inboxId: string };

const lower = (s: string) => s.trim().toLowerCase();

/**
 * A reply-to address is believed only when its signature verifies for the
 * person who writes: the conversation's customer, or the active agent of the
 * account whose email sent the mail.
 */
async function replyTarget(
  deps: InboundEmailDeps,
  mail: InboundEmail,
  address: string,
  claim: { conversationId: string; recipientType: "customer" | "user" },
): Promise<Target | { refused: string }> {
  const [conversation] = await deps.db
    .select({
      id: conversations.id,
      accountId: conversations.accountId,
      inboxId: conversations.inboxId,
      customerId: conversations.customerId,
    })
    .from(conversations)
    .where(eq(conversations.id, claim.conversationId))
    .limit(1);
  if (!conversation) return { refused: "no such conversation" };
  const base = {
    kind: "reply" as const,
    address,
    accountId: conversation.accountId,
    conversationId: conversation.id,
    inboxId: conversation.inboxId,
  };
  if (claim.recipientType === "customer") {
    const recipient = { type: "customer" as const, id: conversation.customerId };
    if (!replyAddressSignedFor(deps.settings, address, recipient)) {
      return { refused: "signature does not match the conversation's customer" };
    }
    return { ...base, sender: { type: "customer", customerId: conversation.customerId } };
  }
  if (!mail.from) return { refused: "no From address to find the agent by" };
  const agents = await deps.db
    .select({ userId: users.id })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(
      and(
        eq(memberships.accountId, conversation.accountId),
        isNull(memberships.disabledAt),
        sql`lower(${users.email}) = ${mail.from.address}`,
      ),
    );
  const agent = agents.find((a) =>
    replyAddressSignedFor(deps.settings, address, { type: "user", id: a.userId }),
  );
  if (!agent) return { refused: "the sender is not the active agent this address was made for" };
  return { ...base, sender: { type: "user", userId: agent.userId } };
}

/** Our addresses among the recipients, each with where its mail goes. */
async function targetsOf(
  deps: InboundEmailDeps,
  mail: InboundEmail,
  envelopeTo: string[],
): Promise<{ targets: Target[]; refused: InboundResult["refused"] }> {
  const targets: Target[] = [];
  const refused: InboundResult["refused"] = [];
  const addresses = [...new Set([...envelopeTo.map(lower), ...mail.recipients])];
  for (const address of addresses) {
    const claim = parseReplyAddress(deps.settings, address);
    if (claim) {
      const target = await replyTarget(deps, mail, address, claim);
      if ("refused" in target) refused.push({ address, reason: target.refused });
      else targets.push(target);
      continue;
    }
    const inboxId = parseInboxAddress(deps.settings, address);
    if (!inboxId) continue;
    const [inbox] = await deps.db
      .select({ id: inboxes.id, accountId: inboxes.accountId })
      .from(inboxes)
      .where(eq(inboxes.id, inboxId))
      .limit(1);
    if (!inbox) refused.push({ address, reason: "no such inbox" });
    else targets.push({ kind: "inbox", address, accountId: inbox.accountId, inboxId: inbox.id });
  }
  // One delivery per conversation or inbox: a mail to two of its addresses is one message.
  const seen = new Set<string>();
  return {
    targets: targets.filter((t) => {
      const key = t.kind === "reply" ? `c:${t.conversationId}` : `i:${t.inboxId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
    refused,
  };
}

/** Netia's own mail coming back: its Message-ID is one Netia sent, or it is from our domain. */
async function isLoop(
  db: Db,
  settings: ReplyAddressSettings,
  mail: InboundEmail,
  accountId: string,
): Promise<boolean> {
  if (
    mail.from &&
    settings.inboundDomain &&
    mail.from.address.endsWith(`@${settings.inboundDomain}`)
  ) {
    return true;
  }
  const [sent] = await db
    .select({ id: outboundEmails.id })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.accountId, accountId),
        eq(outboundEmails.messageIdHeader, mail.messageIdHeader),
      ),
    )
    .limit(1);
  return !!sent;
}

/**
 * The customer writing to an inbox address, found by email (the oldest with
 * that address) or created with the From name. Serialized per address, so
 * two first mails from one person at once make one customer. A new customer's
 * `customer.created` webhook commits with it.
 */
async function customerByEmail(
  tx: Db,
  jobs: WebhookJobs | undefined,
  accountId: string,
  from: NonNullable<InboundEmail["from"]>,
): Promise<string> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`email:${accountId}:${from.address}`}))`,
  );
  const [existing] = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(eq(customers.accountId, accountId), sql`lower(${customers.email}) = ${from.address}`),
    )
    .orderBy(customers.createdAt)
    .limit(1);
  if (existing) return existing.id;
  const [created] = await tx
    .insert(customers)
    .values({ accountId, email: from.address, name: from.name })
    .returning({ id: customers.id });
  if (!created) throw new Error("customer insert returned nothing");
  await enqueueWebhookEvents(jobs, tx, [
    { type: "customer.created", accountId, customerId: created.id },
  ]);
  return created.id;
}

/**
 * The email conversation of this inbox and customer that the mail answers:
 * one whose inbound or outbound Message-IDs are in its In-Reply-To or
 * References. Null: the mail starts a new conversation.
 */
async function threadOf(
  tx: Db,
  target: { accountId: string; inboxId: string },
  customerId: string,
  mail: InboundEmail,
): Promise<string | null> {
  const ids = [...new Set([...(mail.inReplyTo ? [mail.inReplyTo] : []), ...mail.references])];
  if (ids.length === 0) return null;
  const inThread = and(
    eq(conversations.accountId, target.accountId),
    eq(conversations.inboxId, target.inboxId),
    eq(conversations.customerId, customerId),
  );
  const [inbound] = await tx
    .select({ id: conversations.id })
    .from(inboundEmails)
    .innerJoin(conversations, eq(conversations.id, inboundEmails.conversationId))
    .where(
      and(
        inThread,
        eq(inboundEmails.accountId, target.accountId),
        inArray(inboundEmails.messageIdHeader, ids),
      ),
    )
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(1);
  if (inbound) return inbound.id;
  const [outbound] = await tx
    .select({ id: conversations.id })
    .from(outboundEmails)
    .innerJoin(conversations, eq(conversations.id, outboundEmails.conversationId))
    .where(
      and(
        inThread,
        eq(outboundEmails.accountId, target.accountId),
        isNotNull(outboundEmails.conversationId),
        inArray(outboundEmails.messageIdHeader, ids),
      ),
    )
    .orderBy(desc(outboundEmails.createdAt))
    .limit(1);
  return outbound?.id ?? null;
}

/** Files of the mail that can be stored as uploads; the rest are logged and left out. */
function storableAttachments(deps: InboundEmailDeps, mail: InboundEmail) {
  const kept = mail.attachments.filter((a) => {
    const type = a.contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    const ok =
      ALLOWED_CONTENT_TYPES.has(type) &&
      a.content.byteLength > 0 &&
      a.content.byteLength <= ATTACHMENT_MAX_BYTES;
    if (!ok) {
      deps.logger?.info(
        { filename: a.filename, contentType: type, size: a.content.byteLength },
        "inbound email attachment left out (type or size not allowed)",
      );
    }
    return ok;
  });
  return kept.slice(0, ATTACHMENTS_PER_MESSAGE);
}

/** What a message that came by email carries in its metadata. */
function emailMetadata(mail: InboundEmail) {
  return { via: "email", ...(mail.subject && { emailSubject: mail.subject.slice(0, 500) }) };
}

async function deliver(
  deps: InboundEmailDeps,
  mail: InboundEmail,
  target: Target,
  source: InboundSource,
): Promise<InboundDelivery> {
  const loop = await isLoop(deps.db, deps.settings, mail, target.accountId);
  const automatic = loop ? "loop" : mail.automatic;
  const held = heldBus(deps.bus);
  const txDeps: WriteDeps = { ...deps, bus: held.bus };
  const metadata = emailMetadata(mail);
  const delivery = await deps.db.transaction(async (tx): Promise<InboundDelivery> => {
    const known = target.kind === "reply" ? target.conversationId : null;
    const [row] = await tx
      .insert(inboundEmails)
      .values({
        accountId: target.accountId,
        messageIdHeader: mail.messageIdHeader,
        source,
        fromAddress: mail.from?.address ?? "",
        subject: mail.subject?.slice(0, 1000) ?? null,
        conversationId: known,
        outcome: automatic ?? "accepted",
      })
      // A second delivery waits here for the first one's transaction, then finds its row.
      .onConflictDoNothing()
      .returning({ id: inboundEmails.id });
    const result = (
      outcome: InboundOutcome,
      conversationId = known,
      messageId: string | null = null,
    ) => ({
      address: target.address,
      accountId: target.accountId,
      outcome,
      conversationId,
      messageId,
    });
    if (!row) return result("duplicate");
    if (automatic) return result(automatic);
    const files = storableAttachments(deps, mail);
    const body = mail.text.slice(0, MAX_BODY_CHARS);
    // Mail to an inbox address needs a From to know the customer by.
    if ((!body && files.length === 0) || (target.kind === "inbox" && !mail.from)) {
      await tx.update(inboundEmails).set({ outcome: "empty" }).where(eq(inboundEmails.id, row.id));
      return result("empty");
    }
    const db: Db = tx;
    const clientMessageId = `email:${createHash("sha256").update(mail.messageIdHeader).digest("hex").slice(0, 40)}`;
    let conversationId: string;
    let sender: Sender;
    if (target.kind === "reply") {
      conversationId = target.conversationId;
      sender = target.sender;
    } else {
      if (!mail.from) throw new Error("unreachable: checked above");
      const customerId = await customerByEmail(db, deps.jobs, target.accountId, mail.from);
      sender = { type: "customer", customerId };
      const threaded = await threadOf(db, target, customerId, mail);
      if (threaded) conversationId = threaded;
      else {
        const [created] = await tx
          .insert(conversations)
          .values({
            accountId: target.accountId,
            inboxId: target.inboxId,
            customerId,
            channel: "email",
            subject: mail.subject?.slice(0, 500) ?? null,
            read: false,
          })
          .returning({ id: conversations.id });
        if (!created) throw new Error("conversation insert returned nothing");
        conversationId = created.id;
        await announceConversationStarted(txDeps, db, {
          accountId: target.accountId,
          conversationId,
          customerId,
        });
      }
    }
    const uploader =
      sender.type === "customer" ? { customerId: sender.customerId } : { userId: sender.userId };
    const attachmentIds: string[] = [];
    for (const file of files) {
      const stored = await storeAttachment(db, {
        accountId: target.accountId,
        uploader,
        filename: file.filename,
        contentType: file.contentType,
        body: [file.content],
      });
      attachmentIds.push(stored.id);
    }
    const writeDeps = { ...txDeps, db };
    const message =
      sender.type === "customer"
        ? (
            await createCustomerMessage(writeDeps, {
              accountId: target.accountId,
              inboxId: target.inboxId,
              customerId: sender.customerId,
              conversationId,
              body,
              clientMessageId,
              attachmentIds,
            })
          ).message
        : await createAgentMessage(writeDeps, {
            accountId: target.accountId,
            userId: sender.userId,
            conversationId,
            body,
            kind: "reply",
            clientMessageId,
            attachmentIds,
          });
    await tx
      .update(schema.messages)
      .set({ metadata: sql`${schema.messages.metadata} || ${JSON.stringify(metadata)}::jsonb` })
      .where(eq(schema.messages.id, message.id));
    await tx
      .update(inboundEmails)
      .set({ conversationId, messageId: message.id })
      .where(eq(inboundEmails.id, row.id));
    return result("accepted", conversationId, message.id);
  });
  // Committed: now the dashboard and the widget may hear of it.
  held.release((event) =>
    event.type === "message.created" && event.message.id === delivery.messageId
      ? {
          ...event,
          message: { ...event.message, metadata: { ...event.message.metadata, ...metadata } },
        }
      : event,
  );
  deps.logger?.info(
    {
      accountId: delivery.accountId,
      source,
      outcome: delivery.outcome,
      messageIdHeader: mail.messageIdHeader,
    },
    `inbound email ${delivery.outcome} conversation:${delivery.conversationId ?? "-"}`,
  );
  return delivery;
}

/** Stores a parsed email at each of our addresses it was sent to. */
export async function receiveParsedEmail(
  deps: InboundEmailDeps,
  mail: InboundEmail,
  options: { source: InboundSource; envelopeTo?: string[] },
): Promise<InboundResult> {
  const { targets, refused } = await targetsOf(deps, mail, options.envelopeTo ?? []);
  for (const r of refused) {
    // No row: the account is not known from a forged or stale address.
    deps.logger?.warn(
      { address: r.address, reason: r.reason, from: mail.from?.address, source: options.source },
      "inbound email refused",
    );
  }
  const deliveries: InboundDelivery[] = [];
  for (const target of targets) deliveries.push(await deliver(deps, mail, target, options.source));
  return { deliveries, refused };
}

/**
 * Receives one raw email (RFC 5322 bytes). Throws only on a failure worth
 * retrying (the database): callers answer 451 / 5xx so the sender tries again.
 * `envelopeTo` are the SMTP RCPT TO addresses, which Bcc'd mail has only there.
 */
export async function receiveInboundEmail(
  deps: InboundEmailDeps,
  input: { raw: Buffer; source: InboundSource; envelopeTo?: string[] },
): Promise<InboundResult> {
  const mail = await parseInboundEmail(input.raw);
  return receiveParsedEmail(deps, mail, input);
}
