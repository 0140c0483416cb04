// A copy of a conversation by email, on request: an agent sends it (to the
// customer's address unless told otherwise) or the visitor asks from the
// widget (only for their own conversation). Public messages only, never notes.
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { type EmailLine, transcriptEmail } from "@netia/email";
import { and, asc, eq, isNull } from "drizzle-orm";
import { findConversation, type Visitor } from "./conversations";
import type { EmailSettings } from "./email-alerts";
import { AppError } from "./errors";
import { type EmailJobs, queueEmail } from "./outbound-email";

const { messages, customers } = schema;

/** The most messages an email quotes (the newest ones). */
const MAX_LINES = 200;

/**
 * A conversation's public messages as emails quote them, oldest first.
 * `reader` is the customer: their own lines read "You".
 */
export async function conversationLines(
  runner: Db | Tx,
  conversationId: string,
  reader: "customer" | "agent" = "customer",
): Promise<{ lines: EmailLine[]; newestSeq: number | null }> {
  const rows = await runner
    .select({
      seq: messages.seq,
      body: messages.body,
      senderType: messages.senderType,
      createdAt: messages.createdAt,
      userName: schema.users.name,
    })
    .from(messages)
    .leftJoin(schema.users, eq(schema.users.id, messages.userId))
    .where(and(eq(messages.conversationId, conversationId), eq(messages.private, false)))
    .orderBy(asc(messages.seq));
  const kept = rows.filter((r) => r.body.trim() !== "").slice(-MAX_LINES);
  return {
    lines: kept.map((r) => ({
      author:
        r.senderType === "customer"
          ? reader === "customer"
            ? "You"
            : "Customer"
          : r.senderType === "bot"
            ? "Assistant"
            : (r.userName ?? "Support"),
      body: r.body,
      mine: r.senderType === "customer",
      at: r.createdAt.toISOString(),
    })),
    newestSeq: rows.length ? Number(rows[rows.length - 1]?.seq) : null,
  };
}

/** The name emails to customers come from: the account's sender name, else its company name. */
export async function senderBrand(runner: Db | Tx, accountId: string): Promise<string> {
  const [account] = await runner
    .select({
      companyName: schema.accounts.companyName,
      senderName: schema.accounts.emailSenderName,
    })
    .from(schema.accounts)
    .where(eq(schema.accounts.id, accountId))
    .limit(1);
  return account?.senderName || account?.companyName || "Support";
}

/**
 * Queues the transcript of a conversation. With `visitor`, the conversation
 * must be theirs, and an address they give is saved on them when they had
 * none. The same transcript (same messages, same address) is queued once.
 */
export async function sendTranscript(
  deps: { db: Db; jobs: EmailJobs; settings: EmailSettings },
  input: {
    accountId: string;
    conversationId: string;
    to?: string;
    visitor?: Visitor;
    /** The agent who sent it, for the outgoing mail page. */
    userId?: string;
  },
): Promise<{ to: string; queued: boolean }> {
  const { db } = deps;
  const conversation = await findConversation(
    db,
    input.accountId,
    input.conversationId,
    input.visitor,
  );
  const [customer] = await db
    .select({ id: customers.id, email: customers.email })
    .from(customers)
    .where(and(eq(customers.id, conversation.customerId), eq(customers.accountId, input.accountId)))
    .limit(1);
  const to = (input.to ?? customer?.email ?? "").trim();
  if (!to) {
    throw new AppError(
      "BAD_REQUEST",
      "The customer has no email address: give the address to send the transcript to",
    );
  }
  return db.transaction(async (tx) => {
    if (input.visitor && input.to && customer && !customer.email) {
      await tx
        .update(customers)
        .set({ email: input.to })
        .where(and(eq(customers.id, customer.id), isNull(customers.email)));
    }
    const { lines, newestSeq } = await conversationLines(tx, conversation.id);
    if (lines.length === 0) {
      throw new AppError("BAD_REQUEST", "The conversation has no messages to send yet");
    }
    const rendered = await transcriptEmail({
      brand: await senderBrand(tx, input.accountId),
      startedAt: conversation.createdAt.toISOString(),
      lines,
    });
    const { created } = await queueEmail(
      tx,
      { jobs: deps.jobs, from: deps.settings.email.from },
      {
        accountId: input.accountId,
        kind: "transcript",
        to,
        customerId: conversation.customerId,
        conversationId: conversation.id,
        userId: input.userId ?? null,
        headers: { "Auto-Submitted": "auto-generated" },
        dedupeKey: `transcript:${conversation.id}:${newestSeq}:${to.toLowerCase()}`,
        ...rendered,
      },
    );
    return { to, queued: created };
  });
}
