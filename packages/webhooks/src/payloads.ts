// The JSON every webhook carries, in one place (docs/webhooks.md shows an
// example of each type). The envelope follows Standard Webhooks' advice:
// `type`, `timestamp` and `data`, plus the event's own `id` (the same in
// every endpoint's delivery, unlike the `webhook-id` header) and the account.
// `data` holds the object as stored when the event is fanned out (normally
// within a second of the write): receivers that need more ask the API.
import { conversationTagList, type WebhookEvent } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, eq } from "drizzle-orm";

const { conversations, customers, messages } = schema;

/** The test event an admin sends from the dashboard; no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test";

export type WebhookPayload = {
  id: string;
  type: string;
  /** When the write happened (ISO 8601). */
  timestamp: string;
  accountId: string;
  data: Record<string, unknown>;
};

const conversationFields = {
  id: conversations.id,
  inboxId: conversations.inboxId,
  customerId: conversations.customerId,
  assigneeId: conversations.assigneeId,
  status: conversations.status,
  priority: conversations.priority,
  channel: conversations.channel,
  subject: conversations.subject,
  snoozedUntil: conversations.snoozedUntil,
  closedAt: conversations.closedAt,
  lastActivityAt: conversations.lastActivityAt,
  createdAt: conversations.createdAt,
  tags: conversationTagList,
};

const customerFields = {
  id: customers.id,
  externalId: customers.externalId,
  name: customers.name,
  email: customers.email,
  phone: customers.phone,
  companyId: customers.companyId,
  metadata: customers.metadata,
  createdAt: customers.createdAt,
};

const messageFields = {
  id: messages.id,
  conversationId: messages.conversationId,
  type: messages.type,
  private: messages.private,
  senderType: messages.senderType,
  userId: messages.userId,
  customerId: messages.customerId,
  body: messages.body,
  createdAt: messages.createdAt,
};

/** The payload of `event`; null when what it is about is gone (deleted before the fan-out). */
export async function buildWebhookPayload(
  db: Db,
  event: WebhookEvent,
): Promise<WebhookPayload | null> {
  const data = await dataOf(db, event);
  if (!data) return null;
  return {
    id: event.id,
    type: event.type,
    timestamp: event.occurredAt,
    accountId: event.accountId,
    data,
  };
}

async function dataOf(db: Db, event: WebhookEvent): Promise<Record<string, unknown> | null> {
  const { accountId } = event;
  switch (event.type) {
    case "message.created": {
      if (!event.messageId) return null;
      const [message] = await db
        .select(messageFields)
        .from(messages)
        .where(and(eq(messages.id, event.messageId), eq(messages.accountId, accountId)));
      if (!message) return null;
      const conversation = await conversationOf(db, accountId, message.conversationId);
      return conversation ? { message, conversation } : null;
    }
    case "conversation.created":
    case "conversation.updated":
    case "conversation.assigned": {
      if (!event.conversationId) return null;
      const conversation = await conversationOf(db, accountId, event.conversationId);
      return conversation ? { conversation } : null;
    }
    case "customer.created": {
      if (!event.customerId) return null;
      const [customer] = await db
        .select(customerFields)
        .from(customers)
        .where(and(eq(customers.id, event.customerId), eq(customers.accountId, accountId)));
      return customer ? { customer } : null;
    }
  }
}

async function conversationOf(db: Db, accountId: string, id: string) {
  const [conversation] = await db
    .select(conversationFields)
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.accountId, accountId)));
  return conversation ?? null;
}
