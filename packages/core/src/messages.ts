import type { Db } from "@netia/db";
import { runStatement, schema, statement } from "@netia/db";
import { and, asc, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import { type AttachmentDTO, attachmentsOf, linkAttachments, type Uploader } from "./attachments";
import { findConversation, lockConversation } from "./conversations";
import { notFound } from "./errors";
import { publish, serializeMessage, type WriteDeps } from "./events";

const { messages, conversations } = schema;

export type MessageRow = typeof messages.$inferSelect;
export type Message = MessageRow & { attachments: AttachmentDTO[] };

/** Every column of `messages`, named as MessageRow names them, for statements written in SQL. */
const MESSAGE_COLUMNS = `id, seq, account_id as "accountId", conversation_id as "conversationId",
  type, sender_type as "senderType", user_id as "userId", customer_id as "customerId", body,
  private, client_message_id as "clientMessageId", seen_at as "seenAt", metadata,
  created_at as "createdAt"`;

/** A row of MESSAGE_COLUMNS as a driver returns it: bigint and timestamps may be text. */
type MessageColumns = Omit<MessageRow, "seq" | "seenAt" | "createdAt"> & {
  seq: number | string;
  seenAt: Date | string | null;
  createdAt: Date | string;
};

function messageFromColumns(row: MessageColumns): MessageRow {
  return {
    ...row,
    seq: Number(row.seq),
    seenAt: row.seenAt === null ? null : new Date(row.seenAt),
    createdAt: new Date(row.createdAt),
  };
}

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

/**
 * An agent's reply or private note. A reply also sets the first-reply time,
 * assigns the conversation to the replying agent when nobody has it, and marks
 * it read; notes change nothing the customer could notice.
 */
export async function createAgentMessage(
  deps: WriteDeps,
  input: {
    accountId: string;
    userId: string;
    conversationId: string;
    body: string;
    kind: "reply" | "note";
    clientMessageId?: string;
    attachmentIds?: string[];
    /** Buttons the customer can click to answer with that text. */
    quickReplies?: string[];
  },
): Promise<Message> {
  const { message, created } = await deps.db.transaction(async (tx) => {
    const conversation = await lockConversation(tx, input.accountId, input.conversationId);
    const isNote = input.kind === "note";
    const [inserted] = await tx
      .insert(messages)
      .values({
        accountId: input.accountId,
        conversationId: conversation.id,
        type: input.kind,
        senderType: "user",
        userId: input.userId,
        body: input.body,
        private: isNote,
        clientMessageId: input.clientMessageId,
        metadata: input.quickReplies?.length && !isNote ? { quickReplies: input.quickReplies } : {},
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) {
      const [existing] = await withAttachments(tx, [
        await existingByClientId(tx, conversation.id, input.clientMessageId),
      ]);
      return { message: existing as Message, created: false };
    }
    const attachments = await linkAttachments(tx, {
      accountId: input.accountId,
      messageId: inserted.id,
      uploader: { userId: input.userId },
      ids: input.attachmentIds ?? [],
    });
    const now = inserted.createdAt;
    await tx
      .update(conversations)
      .set(
        isNote
          ? { lastActivityAt: now }
          : {
              lastActivityAt: now,
              read: true,
              firstRepliedAt: conversation.firstRepliedAt ?? now,
              assigneeId: conversation.assigneeId ?? input.userId,
            },
      )
      .where(eq(conversations.id, conversation.id));
    return { message: { ...inserted, attachments }, created: true };
  });
  if (created) await announce(deps, message, false);
  return message;
}

/**
 * A new message also means the conversation moved (activity, read state,
 * reopening): subscribers treat message.created as such, so only a new
 * conversation gets an event of its own.
 */
async function announce(deps: WriteDeps, message: Message, conversationCreated: boolean) {
  const ids = { accountId: message.accountId, conversationId: message.conversationId };
  // Sent together: one bus connection keeps their order.
  await Promise.all([
    publish(deps, { type: "message.created", ...ids, message: serializeMessage(message) }),
    conversationCreated ? publish(deps, { type: "conversation.created", ...ids }) : undefined,
  ]);
}

async function existingByClientId(
  db: Db,
  conversationId: string,
  clientMessageId?: string,
): Promise<MessageRow> {
  const [row] = clientMessageId
    ? await db
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.conversationId, conversationId),
            eq(messages.clientMessageId, clientMessageId),
          ),
        )
        .limit(1)
    : [];
  if (!row) throw new Error("message insert conflicted but no message has that client id");
  return row;
}

/**
 * A customer's message into an existing conversation, in one statement: it
 * locks the conversation (so messages into one conversation take their seq and
 * commit in the same order), inserts the message unless its client message id
 * is already there, and reopens the conversation as unread. One round trip,
 * prepared once per connection: this is the busiest write Netia has.
 *
 * Returns no row when the conversation is not the customer's; a row whose
 * message columns are null when the client message id was stored before.
 */
const appendCustomerMessageStatement = statement(
  "netia_append_customer_message",
  `with conversation as (
     select id from conversations
     where id = $1::uuid and account_id = $2::uuid and customer_id = $3::uuid
     for update
   ),
   inserted as (
     insert into messages (account_id, conversation_id, type, sender_type, customer_id, body, client_message_id)
     select $2::uuid, conversation.id, 'reply', 'customer', $3::uuid, $4::text, $5::text from conversation
     on conflict do nothing
     returning ${MESSAGE_COLUMNS}
   ),
   reopened as (
     update conversations
     set last_activity_at = inserted."createdAt", read = false, status = 'open',
         closed_at = null, snoozed_until = null, updated_at = now()
     from inserted where conversations.id = inserted."conversationId"
   )
   select inserted.* from conversation left join inserted on true`,
);

async function appendCustomerMessage(
  db: Db,
  input: {
    accountId: string;
    customerId: string;
    conversationId: string;
    body: string;
    clientMessageId: string;
  },
): Promise<MessageRow | "duplicate" | "no conversation"> {
  const [row] = await runStatement<MessageColumns>(db, appendCustomerMessageStatement, [
    input.conversationId,
    input.accountId,
    input.customerId,
    input.body,
    input.clientMessageId,
  ]);
  if (!row) return "no conversation";
  return row.id === null ? "duplicate" : messageFromColumns(row);
}

/**
 * A customer's message, stored once per client message id: a retry (after a
 * timeout, a reconnect, a double click) returns the first one. Without a
 * conversation id it starts a new conversation; a message to a closed or
 * snoozed conversation reopens it. Only a new conversation or attachments
 * need a transaction around the one statement.
 */
export async function createCustomerMessage(
  deps: WriteDeps,
  input: {
    accountId: string;
    inboxId: string;
    customerId: string;
    conversationId?: string;
    body: string;
    clientMessageId: string;
    attachmentIds?: string[];
  },
): Promise<{ message: Message; created: boolean; conversationCreated: boolean }> {
  const store = async (db: Db, conversationId: string, conversationCreated: boolean) => {
    const appended = await appendCustomerMessage(db, { ...input, conversationId });
    if (appended === "no conversation") throw notFound("Conversation");
    if (appended === "duplicate") {
      const [existing] = await withAttachments(db, [
        await existingByClientId(db, conversationId, input.clientMessageId),
      ]);
      return { message: existing as Message, created: false, conversationCreated: false };
    }
    const attachments = await linkAttachments(db, {
      accountId: input.accountId,
      messageId: appended.id,
      uploader: { customerId: input.customerId } satisfies Uploader,
      ids: input.attachmentIds ?? [],
    });
    return { message: { ...appended, attachments }, created: true, conversationCreated };
  };

  const result =
    input.conversationId && !input.attachmentIds?.length
      ? await store(deps.db, input.conversationId, false)
      : await deps.db.transaction(async (tx) => {
          if (input.conversationId) return store(tx, input.conversationId, false);
          // A first message has no conversation to lock: its retries take turns per
          // customer and find the first attempt by sender.
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.customerId}))`);
          const [previous] = await tx
            .select()
            .from(messages)
            .where(
              and(
                eq(messages.customerId, input.customerId),
                eq(messages.clientMessageId, input.clientMessageId),
              ),
            )
            .limit(1);
          if (previous) {
            const [message] = await withAttachments(tx, [previous]);
            return { message: message as Message, created: false, conversationCreated: false };
          }
          const [conversation] = await tx
            .insert(conversations)
            .values({
              accountId: input.accountId,
              inboxId: input.inboxId,
              customerId: input.customerId,
              channel: "chat",
              read: false,
            })
            .returning();
          if (!conversation) throw new Error("conversation insert returned nothing");
          return store(tx, conversation.id, true);
        });
  if (result.created) await announce(deps, result.message, result.conversationCreated);
  return result;
}

/** What a customer may see of a conversation: no private notes, oldest first after `afterSeq`. */
export async function listCustomerMessages(
  db: Db,
  input: {
    accountId: string;
    customerId: string;
    conversationId: string;
    afterSeq?: number;
    limit: number;
  },
) {
  const conversation = await findConversation(db, input.accountId, input.conversationId);
  if (conversation.customerId !== input.customerId) throw notFound("Conversation");
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
  input: { accountId: string; customerId: string; conversationId: string; upToSeq: number },
) {
  const { db } = deps;
  const conversation = await findConversation(db, input.accountId, input.conversationId);
  if (conversation.customerId !== input.customerId) throw notFound("Conversation");
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
    await publish(deps, {
      type: "message.seen",
      accountId: input.accountId,
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
