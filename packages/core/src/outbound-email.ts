// Every email Netia sends starts here: a row in outbound_emails (rendered,
// ready to send) and an `email.send` job, written in one transaction so an
// email is never queued without its job nor the reverse. The job delivers it
// over SMTP (or to the log without SMTP), retries with backoff, and marks the
// row failed when the retries run out; the outgoing mail page shows both.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { LOOP_HEADER, type MailToSend, type MailTransport } from "@netia/email";
import { and, asc, eq, inArray } from "drizzle-orm";
import { readAttachment } from "./attachments";

const { outboundEmails } = schema;

export const SEND_EMAIL_JOB = "email.send";

export type EmailKind =
  | "invitation"
  | "password_reset"
  | "agent_alert"
  | "customer_reply"
  | "transcript"
  | "conversation_reply"
  | "webhook_disabled";

/**
 * The part of the job queue an email needs (the runtime's `jobs` satisfies
 * it). Structural, so core does not depend on the jobs package.
 */
export type EmailJobs = {
  enqueue(
    runner: Db | Tx,
    name: typeof SEND_EMAIL_JOB,
    payload: { outboundEmailId: string },
  ): Promise<string | null>;
};

export type QueueEmailInput = {
  accountId: string;
  kind: EmailKind;
  to: string;
  subject: string;
  html: string;
  text: string;
  userId?: string | null;
  customerId?: string | null;
  conversationId?: string | null;
  replyTo?: string | null;
  /** List-Unsubscribe, In-Reply-To, References, Auto-Submitted, ... */
  headers?: Record<string, string>;
  attachmentIds?: string[];
  /** Queued once per key in the account: a second call with the same key does nothing. */
  dedupeKey?: string | null;
  /** The body holds a secret (a reset link): never shown on the outgoing mail page. */
  sensitive?: boolean;
  /** Set when the caller must know it before sending (e.g. to thread a reply); else generated. */
  messageIdHeader?: string;
};

/** A Message-ID header for an email sent from `from` (`Name <a@host>` or `a@host`). */
export function newMessageIdHeader(from: string): string {
  const host = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "netia.localhost";
  return `<${randomUUID()}@${host}>`;
}

/**
 * Queues an email and its send job in one transaction (a savepoint when
 * `runner` is already a transaction). Returns the row's id, and `created:
 * false` when an email with the same dedupe key was queued before.
 */
export async function queueEmail(
  runner: Db | Tx,
  deps: { jobs: EmailJobs; from: string },
  input: QueueEmailInput,
): Promise<{ id: string; created: boolean }> {
  return runner.transaction(async (tx) => {
    const [row] = await tx
      .insert(outboundEmails)
      .values({
        accountId: input.accountId,
        kind: input.kind,
        toAddress: input.to,
        userId: input.userId ?? null,
        customerId: input.customerId ?? null,
        conversationId: input.conversationId ?? null,
        subject: input.subject,
        html: input.html,
        text: input.text,
        sensitive: input.sensitive ?? false,
        headers: input.headers ?? {},
        replyTo: input.replyTo ?? null,
        messageIdHeader: input.messageIdHeader ?? newMessageIdHeader(deps.from),
        attachmentIds: input.attachmentIds ?? [],
        dedupeKey: input.dedupeKey ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: outboundEmails.id });
    if (!row) {
      const [existing] = await tx
        .select({ id: outboundEmails.id })
        .from(outboundEmails)
        .where(
          and(
            eq(outboundEmails.accountId, input.accountId),
            eq(outboundEmails.dedupeKey, input.dedupeKey ?? ""),
          ),
        )
        .limit(1);
      if (!existing) throw new Error("outbound email conflicted but no row has its dedupe key");
      return { id: existing.id, created: false };
    }
    await deps.jobs.enqueue(tx, SEND_EMAIL_JOB, { outboundEmailId: row.id });
    return { id: row.id, created: true };
  });
}

/** Where emails go: an SMTP server, or the log when none is configured (@netia/email). */
export type Mailer = Pick<MailTransport, "transport" | "send">;

/**
 * The From of an email about one account: the account's sender name (else its
 * company name) as the display name, on the address of SMTP_FROM, so
 * customers and agents see who writes while the address stays the one the
 * SMTP server may send as. `from` is `address` or `Name <address>`.
 */
export function senderFrom(from: string, displayName: string | null | undefined): string {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1]?.trim() ?? from.trim();
  // No line breaks (they would start a new header); quotes and backslashes escaped.
  const name = (displayName ?? "").replace(/[\r\n]+/g, " ").trim();
  if (!name) return from;
  return `"${name.replace(/["\\]/g, "\\$&")}" <${address}>`;
}

async function senderOf(db: Db, from: string, accountId: string): Promise<string> {
  const [account] = await db
    .select({
      companyName: schema.accounts.companyName,
      senderName: schema.accounts.emailSenderName,
    })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, accountId))
    .limit(1);
  return senderFrom(from, account?.senderName?.trim() || account?.companyName);
}

/** The files of an email, read from the attachments storage (only the account's own). */
export async function emailAttachments(
  db: Db,
  { accountId, ids }: { accountId: string; ids: string[] },
): Promise<MailToSend["attachments"]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: schema.attachments.id,
      filename: schema.attachments.filename,
      contentType: schema.attachments.contentType,
    })
    .from(schema.attachments)
    .where(and(eq(schema.attachments.accountId, accountId), inArray(schema.attachments.id, ids)))
    .orderBy(asc(schema.attachments.createdAt));
  if (rows.length !== new Set(ids).size) {
    // Deleted since the email was queued: sending without it would say less than was meant.
    throw new Error("an attachment of this email no longer exists");
  }
  const files: MailToSend["attachments"] = [];
  for (const row of rows) {
    const chunks: Buffer[] = [];
    for await (const chunk of readAttachment(db, row.id)) chunks.push(chunk);
    files.push({
      filename: row.filename,
      contentType: row.contentType,
      content: Buffer.concat(chunks),
    });
  }
  return files;
}

/** Why an email is not to be sent at all, or null to send it. */
async function reasonToSkip(
  db: Db,
  row: typeof outboundEmails.$inferSelect,
): Promise<string | null> {
  if (row.userId) {
    const [member] = await db
      .select({ disabledAt: schema.memberships.disabledAt })
      .from(schema.memberships)
      .where(
        and(
          eq(schema.memberships.userId, row.userId),
          eq(schema.memberships.accountId, row.accountId),
        ),
      )
      .limit(1);
    if (!member) return "the agent is no longer on the team";
    if (member.disabledAt && row.kind !== "invitation") return "the agent is disabled";
  }
  if (row.customerId && row.kind === "customer_reply") {
    const [customer] = await db
      .select({ unsubscribedAt: schema.customers.emailUnsubscribedAt })
      .from(schema.customers)
      .where(eq(schema.customers.id, row.customerId))
      .limit(1);
    if (customer?.unsubscribedAt) return "the customer unsubscribed";
  }
  return null;
}

/**
 * Whether the SMTP server refused this message or its recipient for good (a
 * 5xx reply to RCPT TO or DATA: no such mailbox, message rejected). Other
 * failures (no connection, 4xx "try later", a wrong password an admin may fix)
 * are retried. Decided on the SMTP reply code, never on the text.
 */
function isPermanentRefusal(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  return (
    typeof responseCode === "number" &&
    responseCode >= 500 &&
    responseCode < 600 &&
    (code === "EENVELOPE" || code === "EMESSAGE")
  );
}

/**
 * Sends one queued email (the `email.send` job). Safe to run again: an email
 * no longer queued is left alone, and each attempt is claimed first, so of two
 * runs that read the same row only one sends. Delivery is at least once: a run
 * that starts while another is still talking to the server (after that one's
 * job expired) sends again. A failure is recorded on the row and thrown
 * so the job retries; on the last attempt, or when the server refuses the
 * message for good, the row is marked failed.
 */
export async function deliverQueuedEmail(
  deps: { db: Db; mailer: Mailer; from: string },
  { id, lastAttempt }: { id: string; lastAttempt: boolean },
): Promise<"sent" | "skipped" | "failed" | "gone"> {
  const { db } = deps;
  const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, id)).limit(1);
  if (row?.status !== "queued") return "gone";
  const skip = await reasonToSkip(db, row);
  if (skip) {
    await db
      .update(outboundEmails)
      .set({ status: "skipped", lastError: skip })
      .where(eq(outboundEmails.id, id));
    return "skipped";
  }
  // Claim this attempt: of two runs that read the row at once, only the one
  // that moves the attempt counter from the value it read goes on to send.
  const [claimed] = await db
    .update(outboundEmails)
    .set({ attempts: row.attempts + 1 })
    .where(
      and(
        eq(outboundEmails.id, id),
        eq(outboundEmails.status, "queued"),
        eq(outboundEmails.attempts, row.attempts),
      ),
    )
    .returning({ id: outboundEmails.id });
  if (!claimed) return "gone";
  try {
    await deps.mailer.send({
      from: await senderOf(db, deps.from, row.accountId),
      to: row.toAddress,
      subject: row.subject,
      html: row.html,
      text: row.text,
      replyTo: row.replyTo ?? undefined,
      messageId: row.messageIdHeader,
      // Marks mail Netia sent, so should it ever come back to Netia's own
      // inbound addresses (a customer whose address is an inbox's) it is dropped
      // as a loop instead of answered.
      headers: { ...row.headers, [LOOP_HEADER]: "1" },
      attachments: await emailAttachments(db, {
        accountId: row.accountId,
        ids: row.attachmentIds,
      }),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = isPermanentRefusal(error);
    await db
      .update(outboundEmails)
      .set({
        lastError: message.slice(0, 1000),
        ...(lastAttempt || permanent ? { status: "failed" as const, failedAt: new Date() } : {}),
      })
      .where(eq(outboundEmails.id, id));
    // Retrying a refusal that the server says is final would only repeat it.
    if (permanent) return "failed";
    throw error;
  }
  await db
    .update(outboundEmails)
    .set({
      status: "sent",
      transport: deps.mailer.transport,
      sentAt: new Date(),
      lastError: null,
      // A secret (a reset link) is kept only as long as it is needed.
      ...(row.sensitive ? { html: "", text: "" } : {}),
    })
    .where(eq(outboundEmails.id, id));
  return "sent";
}
