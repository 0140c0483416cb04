// What admins see of the email an account sends (the outgoing mail page):
// newest first, by status, one email with its body, and a second chance for a
// failed one. A sensitive email's body (a password reset link) never leaves
// here, whatever the caller asks for.
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { and, count, desc, eq, gte, sql } from "drizzle-orm";
import { notFound } from "./errors";
import { type EmailJobs, SEND_EMAIL_JOB } from "./outbound-email";
import { type Keyset, page } from "./pagination";

const { outboundEmails } = schema;

export type OutboundEmailStatus = (typeof schema.outboundEmailStatusEnum.enumValues)[number];

const summaryColumns = {
  id: outboundEmails.id,
  kind: outboundEmails.kind,
  toAddress: outboundEmails.toAddress,
  subject: outboundEmails.subject,
  status: outboundEmails.status,
  transport: outboundEmails.transport,
  attempts: outboundEmails.attempts,
  lastError: outboundEmails.lastError,
  sensitive: outboundEmails.sensitive,
  conversationId: outboundEmails.conversationId,
  createdAt: outboundEmails.createdAt,
  sentAt: outboundEmails.sentAt,
  failedAt: outboundEmails.failedAt,
};

export async function listOutboundEmails(
  db: Db,
  input: { accountId: string; status?: OutboundEmailStatus; cursor?: Keyset; limit: number },
) {
  const filters = [eq(outboundEmails.accountId, input.accountId)];
  if (input.status) filters.push(eq(outboundEmails.status, input.status));
  if (input.cursor) {
    const { at, id } = input.cursor;
    filters.push(
      sql`(${outboundEmails.createdAt}, ${outboundEmails.id}) < (${at.toISOString()}, ${id})`,
    );
  }
  const rows = await db
    .select(summaryColumns)
    .from(outboundEmails)
    .where(and(...filters))
    .orderBy(desc(outboundEmails.createdAt), desc(outboundEmails.id))
    .limit(input.limit + 1);
  return page(rows, input.limit, (row) => ({ at: row.createdAt, id: row.id }));
}

/** One email with its parts; `html` and `text` are null for a sensitive one. */
export async function getOutboundEmail(
  db: Db,
  { accountId, id }: { accountId: string; id: string },
) {
  const [row] = await db
    .select({
      ...summaryColumns,
      html: outboundEmails.html,
      text: outboundEmails.text,
      replyTo: outboundEmails.replyTo,
      messageIdHeader: outboundEmails.messageIdHeader,
    })
    .from(outboundEmails)
    .where(and(eq(outboundEmails.accountId, accountId), eq(outboundEmails.id, id)))
    .limit(1);
  if (!row) throw notFound("Email");
  return row.sensitive ? { ...row, html: null, text: null } : row;
}

/**
 * Puts a failed email back in the queue with a new send job (in one
 * transaction). Only a failed email: one queued or sent is left as it is.
 */
export async function retryOutboundEmail(
  runner: Db | Tx,
  deps: { jobs: EmailJobs },
  { accountId, id }: { accountId: string; id: string },
) {
  await runner.transaction(async (tx) => {
    const [row] = await tx
      .update(outboundEmails)
      .set({ status: "queued", failedAt: null })
      .where(
        and(
          eq(outboundEmails.accountId, accountId),
          eq(outboundEmails.id, id),
          eq(outboundEmails.status, "failed"),
        ),
      )
      .returning({ id: outboundEmails.id });
    if (!row) throw notFound("Failed email");
    await deps.jobs.enqueue(tx, SEND_EMAIL_JOB, { outboundEmailId: row.id });
  });
}

/** Emails of the account that failed since `since` (a badge on the settings menu). */
export async function countFailedEmails(
  db: Db,
  { accountId, since }: { accountId: string; since: Date },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.accountId, accountId),
        eq(outboundEmails.status, "failed"),
        gte(outboundEmails.failedAt, since),
      ),
    );
  return row?.n ?? 0;
}
