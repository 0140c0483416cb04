// What the reply job reads before deciding anything: the conversation (still
// the assistant's?), its customer and account, and its recent public
// messages. Every read is filtered by the account.
import { type Db, schema } from "@netia/db";
import { and, count, desc, eq, like } from "drizzle-orm";
import type { HistoryMessage } from "./prompt";

const { conversations, customers, accounts, inboxes, messages } = schema;

/** Messages of the conversation the model sees (the newest; older ones rarely matter). */
const HISTORY_LIMIT = 30;

/** The idempotency key of the assistant's reply to a customer message. */
export const replyKey = (messageId: string) => `ai-reply:${messageId}`;

export type ReplyContext = {
  answeredBy: "assistant" | "people";
  inboxAssistantEnabled: boolean;
  customerEmail: string | null;
  account: {
    timeZone: string;
    workingHours: { day: number; startMinute: number; endMinute: number }[];
  };
  history: (HistoryMessage & { id: string; seq: number })[];
};

export async function loadReplyContext(
  db: Db,
  input: { accountId: string; conversationId: string },
): Promise<ReplyContext | null> {
  const [row] = await db
    .select({
      answeredBy: conversations.answeredBy,
      inboxAssistantEnabled: inboxes.assistantEnabled,
      customerEmail: customers.email,
      timeZone: accounts.timeZone,
      workingHours: accounts.workingHours,
    })
    .from(conversations)
    .innerJoin(accounts, eq(accounts.id, conversations.accountId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .leftJoin(customers, eq(customers.id, conversations.customerId))
    .where(
      and(eq(conversations.accountId, input.accountId), eq(conversations.id, input.conversationId)),
    )
    .limit(1);
  if (!row) return null;
  const recent = await db
    .select({
      id: messages.id,
      seq: messages.seq,
      senderType: messages.senderType,
      body: messages.body,
    })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, input.accountId),
        eq(messages.conversationId, input.conversationId),
        eq(messages.private, false),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(HISTORY_LIMIT);
  return {
    answeredBy: row.answeredBy,
    inboxAssistantEnabled: row.inboxAssistantEnabled,
    customerEmail: row.customerEmail,
    account: { timeZone: row.timeZone, workingHours: row.workingHours },
    history: recent.reverse().map((m) => ({ ...m, seq: Number(m.seq) })),
  };
}

/**
 * The customer messages the next reply answers: those after the last message
 * from anyone else. Empty when the conversation's last word is not the
 * customer's (it was answered).
 */
export function unansweredMessages(history: ReplyContext["history"]): ReplyContext["history"] {
  const lastOther = history.findLastIndex((m) => m.senderType !== "customer");
  return history.slice(lastOther + 1);
}

/** How many times the assistant has answered in this conversation. */
export async function countAssistantReplies(
  db: Db,
  input: { accountId: string; conversationId: string },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, input.accountId),
        eq(messages.conversationId, input.conversationId),
        eq(messages.senderType, "bot"),
        like(messages.clientMessageId, `bot:${replyKey("%")}`),
      ),
    );
  return row?.n ?? 0;
}

/** The newest customer message of the conversation, read now (a newer one ends a generation). */
export async function newestCustomerMessageId(
  db: Db,
  input: { accountId: string; conversationId: string },
): Promise<string | null> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.accountId, input.accountId),
        eq(messages.conversationId, input.conversationId),
        eq(messages.senderType, "customer"),
      ),
    )
    .orderBy(desc(messages.seq))
    .limit(1);
  return row?.id ?? null;
}
