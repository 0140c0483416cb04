import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, asc, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import { attachmentsOf } from "./attachments";
import { findConversation, type Visitor } from "./conversations";
import { publish, type WriteDeps } from "./events";
import type { Message, MessageRow } from "./message-dto";

const { messages } = schema;

/** Adds each message's attachments (one query for the lot). */
export async function withAttachments(db: Db, rows: MessageRow[]): Promise<Message[]> {
  const byMessage = await attachmentsOf(
    db,
    rows.map((m) => m.id),
  );
  return rows.map((m) => ({ ...m, attachments: byMessage.get(m.id) ?? [] }));
}

/** A page of a conversation, newest `limit` before `before` (a seq), in reading order. */
export async function listMessages(
  db: Db,
  input: { accountId: string; conversationId: string; before?: number; limit: number },
) {
  await findConversation(db, input.accountId, input.conversationId);
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, input.conversationId),
        input.before === undefined ? undefined : lt(messages.seq, input.before),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(input.limit + 1);
  const items = await withAttachments(db, rows.slice(0, input.limit).reverse());
  return { items, olderCursor: rows.length > input.limit ? (items[0]?.seq ?? null) : null };
}

/** What a customer may see of a conversation: no private notes, oldest first after `afterSeq`. */
export async function listCustomerMessages(
  db: Db,
  visitor: Visitor,
  input: { conversationId: string; afterSeq?: number; limit: number },
) {
  await findConversation(db, visitor.accountId, input.conversationId, visitor);
  const rows = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, input.conversationId),
        eq(messages.private, false),
        input.afterSeq === undefined ? undefined : gt(messages.seq, input.afterSeq),
      ),
    )
    .orderBy(asc(messages.seq))
    .limit(input.limit + 1);
  return {
    items: await withAttachments(db, rows.slice(0, input.limit)),
    hasMore: rows.length > input.limit,
  };
}

/** Read receipts: the customer has seen every agent/bot message up to `upToSeq`. */
export async function markSeenByCustomer(
  deps: WriteDeps,
  visitor: Visitor,
  input: { conversationId: string; upToSeq: number },
) {
  const { db } = deps;
  await findConversation(db, visitor.accountId, input.conversationId, visitor);
  const seenAt = new Date();
  const seen = await db
    .update(messages)
    .set({ seenAt })
    .where(
      and(
        eq(messages.conversationId, input.conversationId),
        ne(messages.senderType, "customer"),
        eq(messages.private, false),
        isNull(messages.seenAt),
        sql`${messages.seq} <= ${input.upToSeq}`,
      ),
    )
    .returning({ seq: messages.seq });
  if (seen.length > 0) {
    publish(deps, {
      type: "message.seen",
      accountId: visitor.accountId,
      conversationId: input.conversationId,
      upToSeq: Math.max(...seen.map((m) => m.seq)),
      seenAt: seenAt.toISOString(),
    });
  }
  return { count: seen.length };
}

/**
 * How far back an account-wide resume looks for messages that took a lower
 * seq but committed after `afterSeq` was delivered (seq is assigned at insert,
 * and only one conversation's inserts are serialised). Such rows are sent
 * again: account streams are at-least-once, and clients dedupe by message id.
 */
export const LATE_COMMIT_WINDOW = "5 seconds";

/** Every message of the account after `afterSeq`, oldest first: an agent's resume backlog. */
export async function listAccountMessagesSince(
  db: Db,
  input: { accountId: string; afterSeq: number; limit: number; lookBack?: boolean },
) {
  const late = sql`${messages.createdAt} > (
    select m.created_at - ${LATE_COMMIT_WINDOW}::interval from ${messages} m where m.seq = ${input.afterSeq}
  )`;
  return db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.accountId, input.accountId),
        input.lookBack
          ? or(gt(messages.seq, input.afterSeq), late)
          : gt(messages.seq, input.afterSeq),
      ),
    )
    .orderBy(asc(messages.seq))
    .limit(input.limit)
    .then((rows) => withAttachments(db, rows));
}

/** The account's newest message seq (0 when it has none): where a fresh stream starts. */
export async function latestAccountSeq(db: Db, { accountId }: { accountId: string }) {
  const [row] = await db
    .select({ seq: messages.seq })
    .from(messages)
    .where(eq(messages.accountId, accountId))
    .orderBy(desc(messages.seq))
    .limit(1);
  return row?.seq ?? 0;
}
