// Every email Netia sends starts here: a row in outbound_emails (rendered,
// ready to send) and an `email.send` job, written in one transaction so an
// email is never queued without its job nor the reverse. The job delivers it
// over SMTP (or to the log without SMTP), retries with backoff, and marks the
// row failed when the retries run out; the outgoing mail page shows both.
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, sql } from "drizzle-orm";

const { outboundEmails } = schema;

export const SEND_EMAIL_JOB = "email.send";

export type EmailKind =
  | "invitation"
  | "password_reset"
  | "agent_alert"
  | "customer_reply"
  | "transcript"
  | "conversation_reply";

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

/** One email as a transport takes it. */
export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  messageId: string;
  headers: Record<string, string>;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

/** Where emails go: an SMTP server, or the log when none is configured. */
export type Mailer = {
  transport: "smtp" | "log";
  send(mail: OutgoingMail): Promise<void>;
};

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
 * Sends one queued email (the `email.send` job). Safe to run again: an email
 * no longer queued is left alone. A failure is recorded on the row and thrown
 * so the job retries; on the last attempt the row is marked failed.
 */
export async function deliverQueuedEmail(
  deps: {
    db: Db;
    mailer: Mailer;
    from: string;
    attachments?: (ids: string[]) => Promise<OutgoingMail["attachments"]>;
  },
  { id, lastAttempt }: { id: string; lastAttempt: boolean },
): Promise<"sent" | "skipped" | "gone"> {
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
  try {
    await deps.mailer.send({
      from: deps.from,
      to: row.toAddress,
      subject: row.subject,
      html: row.html,
      text: row.text,
      replyTo: row.replyTo ?? undefined,
      messageId: row.messageIdHeader,
      headers: row.headers,
      attachments:
        row.attachmentIds.length && deps.attachments
          ? await deps.attachments(row.attachmentIds)
          : [],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .update(outboundEmails)
      .set({
        attempts: sql`${outboundEmails.attempts} + 1`,
        lastError: message.slice(0, 1000),
        ...(lastAttempt ? { status: "failed" as const, failedAt: new Date() } : {}),
      })
      .where(eq(outboundEmails.id, id));
    throw error;
  }
  await db
    .update(outboundEmails)
    .set({
      status: "sent",
      transport: deps.mailer.transport,
      sentAt: new Date(),
      attempts: sql`${outboundEmails.attempts} + 1`,
      lastError: null,
      // A secret (a reset link) is kept only as long as it is needed.
      ...(row.sensitive ? { html: "", text: "" } : {}),
    })
    .where(eq(outboundEmails.id, id));
  return "sent";
}
