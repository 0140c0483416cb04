import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { notFound } from "./errors";
import { publish, type WriteDeps } from "./events";
import { countUnreadMentions, markMentionsRead, mentionedIn } from "./mentions";
import { type Keyset, page } from "./pagination";
import { enqueueSlackSync, slackJobsFor } from "./slack-sync";
import { getTag } from "./tags";
import { assertMember } from "./team";
import { enqueueWebhookEvents, type WebhookEventType, webhookJobsFor } from "./webhook-events";

const { conversations, customers, messages, conversationTags, tags } = schema;

export const conversationViews = [
  "all",
  "mine",
  "unassigned",
  "unread",
  "priority",
  "snoozed",
  "closed",
  "mentions",
] as const;
export type ConversationView = (typeof conversationViews)[number];

export const conversationChannels = schema.channelEnum.enumValues;
export type ConversationChannel = (typeof conversationChannels)[number];

export type ListConversationsInput = {
  accountId: string;
  /** The agent asking, for the "mine" and "mentions" views. */
  userId: string;
  view: ConversationView;
  inboxId?: string;
  tagId?: string;
  assigneeId?: string;
  channel?: ConversationChannel;
  cursor?: Keyset;
  limit: number;
};

function viewFilter(view: ConversationView, accountId: string, userId: string): SQL[] {
  switch (view) {
    case "all":
      return [eq(conversations.status, "open")];
    case "mine":
      return [eq(conversations.status, "open"), eq(conversations.assigneeId, userId)];
    case "unassigned":
      return [eq(conversations.status, "open"), isNull(conversations.assigneeId)];
    case "unread":
      return [eq(conversations.status, "open"), eq(conversations.read, false)];
    case "priority":
      return [eq(conversations.status, "open"), eq(conversations.priority, "high")];
    case "snoozed":
      return [eq(conversations.status, "snoozed")];
    case "closed":
      return [eq(conversations.status, "closed")];
    case "mentions":
      // Any status: a mention asks for the agent's eyes even after the conversation closed.
      return [mentionedIn(conversationIdColumn, { accountId, userId })];
  }
}

type Preview = {
  body: string;
  senderType: "user" | "customer" | "bot";
  private: boolean;
  createdAt: Date;
};

/**
 * `conversations.id` spelled out in full for correlated subqueries: drizzle
 * leaves columns unqualified in a single-table select, and inside a subquery
 * over messages an unqualified "id" would mean the message's id.
 */
export const conversationIdColumn = sql`${sql.identifier("conversations")}.${sql.identifier("id")}`;

/**
 * The newest message of each listed conversation, as a correlated subquery
 * (one index probe per row). Customers never see private notes; agents do.
 */
export function lastMessagePreview({ publicOnly }: { publicOnly: boolean }) {
  return sql<(Omit<Preview, "createdAt"> & { createdAt: string }) | null>`(
    select json_build_object('body', left(m.body, 280), 'senderType', m.sender_type, 'private', m.private, 'createdAt', m.created_at)
    from ${messages} m where m.conversation_id = ${conversationIdColumn}
    ${publicOnly ? sql`and m.private = false` : sql``}
    order by m.seq desc limit 1
  )`;
}

/** JSON carries the preview's time as a string; give it back its Date. */
export function withPreviewDate<T extends { lastMessage: { createdAt: string } | null }>(
  row: T,
): Omit<T, "lastMessage"> & { lastMessage: Preview | null } {
  const { lastMessage, ...rest } = row;
  return {
    ...rest,
    lastMessage: lastMessage && {
      ...lastMessage,
      createdAt: new Date(lastMessage.createdAt),
    },
  } as Omit<T, "lastMessage"> & { lastMessage: Preview | null };
}

/**
 * A selected conversation's tags (id, name, colour; by name), as a correlated
 * subquery (one index probe per row): the inbox list and webhook payloads.
 */
export const conversationTagList = sql<{ id: string; name: string; color: string | null }[]>`(
  select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) order by t.name), '[]'::json)
  from ${conversationTags} ct join ${tags} t on t.id = ct.tag_id
  where ct.conversation_id = ${conversationIdColumn}
)`;

export async function listConversations(db: Db, input: ListConversationsInput) {
  const filters: SQL[] = [
    eq(conversations.accountId, input.accountId),
    isNull(conversations.archivedAt),
    ...viewFilter(input.view, input.accountId, input.userId),
  ];
  if (input.inboxId) filters.push(eq(conversations.inboxId, input.inboxId));
  if (input.assigneeId) filters.push(eq(conversations.assigneeId, input.assigneeId));
  if (input.channel) filters.push(eq(conversations.channel, input.channel));
  if (input.tagId) {
    filters.push(
      sql`exists (select 1 from ${conversationTags} ct where ct.conversation_id = ${conversationIdColumn} and ct.tag_id = ${input.tagId})`,
    );
  }
  if (input.cursor) {
    const { at, id } = input.cursor;
    filters.push(
      sql`(${conversations.lastActivityAt}, ${conversations.id}) < (${at.toISOString()}, ${id})`,
    );
  }
  const rows = await db
    .select({
      id: conversations.id,
      status: conversations.status,
      priority: conversations.priority,
      channel: conversations.channel,
      subject: conversations.subject,
      read: conversations.read,
      assigneeId: conversations.assigneeId,
      inboxId: conversations.inboxId,
      snoozedUntil: conversations.snoozedUntil,
      lastActivityAt: conversations.lastActivityAt,
      createdAt: conversations.createdAt,
      customer: { id: customers.id, name: customers.name, email: customers.email },
      lastMessage: lastMessagePreview({ publicOnly: false }),
      tags: conversationTagList,
    })
    .from(conversations)
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(and(...filters))
    // NULLS LAST as in the view indexes, or Postgres sorts instead of walking the index.
    .orderBy(
      sql`${conversations.lastActivityAt} desc nulls last`,
      sql`${conversations.id} desc nulls last`,
    )
    .limit(input.limit + 1);
  const result = page(rows, input.limit, (c) => ({ at: c.lastActivityAt, id: c.id }));
  return { ...result, items: result.items.map(withPreviewDate) };
}

/**
 * How many conversations each view holds, how many open ones await an agent's
 * eyes, and how many are open in each inbox (inboxes with none are left out).
 * "mentions" counts only the conversations where the agent has an unread
 * mention: the number says what still needs them, not what once did.
 */
export async function countConversations(
  db: Db,
  { accountId, userId }: { accountId: string; userId: string },
) {
  const open = sql`${conversations.status} = 'open'`;
  const n = (filter: SQL) => sql<number>`count(*) filter (where ${filter})::int`;
  const scope = and(eq(conversations.accountId, accountId), isNull(conversations.archivedAt));
  const [[row], inboxRows] = await Promise.all([
    db
      .select({
        all: n(open),
        mine: n(sql`${open} and ${conversations.assigneeId} = ${userId}`),
        unassigned: n(sql`${open} and ${conversations.assigneeId} is null`),
        unread: n(sql`${open} and not ${conversations.read}`),
        priority: n(sql`${open} and ${conversations.priority} = 'high'`),
        snoozed: n(sql`${conversations.status} = 'snoozed'`),
        closed: n(sql`${conversations.status} = 'closed'`),
        mentions: n(mentionedIn(conversationIdColumn, { accountId, userId, unreadOnly: true })),
      })
      .from(conversations)
      .where(scope),
    db
      .select({ inboxId: conversations.inboxId, open: sql<number>`count(*)::int` })
      .from(conversations)
      .where(and(scope, eq(conversations.status, "open")))
      .groupBy(conversations.inboxId),
  ]);
  const views = row ?? {
    all: 0,
    mine: 0,
    unassigned: 0,
    unread: 0,
    priority: 0,
    snoozed: 0,
    closed: 0,
    mentions: 0,
  };
  return { ...views, inboxes: inboxRows };
}

/**
 * Who a widget session speaks for: one customer, in one inbox of one account.
 * A visitor reaches only conversations with all three (docs/security.md).
 */
export type Visitor = { accountId: string; inboxId: string; customerId: string };

/**
 * Loads a conversation of the account, or NOT_FOUND: the guard every write goes
 * through. With a `visitor`, it must also be that customer's in the visitor's
 * inbox (anything else is NOT_FOUND too, not FORBIDDEN: it tells them nothing).
 */
export async function findConversation(
  db: Db,
  accountId: string,
  id: string,
  visitor?: Pick<Visitor, "inboxId" | "customerId">,
) {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.accountId, accountId),
        eq(conversations.id, id),
        visitor && eq(conversations.customerId, visitor.customerId),
        visitor && eq(conversations.inboxId, visitor.inboxId),
      ),
    )
    .limit(1);
  if (!conversation) throw notFound("Conversation");
  return conversation;
}

/**
 * A conversation with its customer and tags, and how many of `userId`'s
 * mentions in it are unread: the dashboard marks it read on opening while any
 * are, even when the team has read it already.
 */
export async function getConversation(
  db: Db,
  { accountId, id, userId }: { accountId: string; id: string; userId: string },
) {
  const conversation = await findConversation(db, accountId, id);
  const [[customer], tagRows, unreadMentions] = await Promise.all([
    db.select().from(customers).where(eq(customers.id, conversation.customerId)).limit(1),
    db
      .select({ id: tags.id, name: tags.name, color: tags.color })
      .from(conversationTags)
      .innerJoin(tags, eq(tags.id, conversationTags.tagId))
      .where(eq(conversationTags.conversationId, id)),
    countUnreadMentions(db, { accountId, conversationId: id, userId }),
  ]);
  if (!customer) throw notFound("Customer");
  return { ...conversation, customer, tags: tagRows, unreadMentions };
}

/** Snoozing has its own path (snooze.ts): it schedules the wake-up with the write. */
export type ConversationUpdate = {
  status?: "open" | "closed";
  priority?: "normal" | "high";
  /** null unassigns. */
  assigneeId?: string | null;
};

export async function updateConversation(
  deps: WriteDeps,
  { accountId, id, ...change }: { accountId: string; id: string } & ConversationUpdate,
) {
  const { db } = deps;
  const conversation = await findConversation(db, accountId, id);
  if (change.assigneeId) await assertMember(db, accountId, change.assigneeId);
  const set: Partial<typeof conversations.$inferInsert> = {};
  if (change.priority) set.priority = change.priority;
  if (change.assigneeId !== undefined) set.assigneeId = change.assigneeId;
  if (change.status && change.status !== conversation.status) {
    set.status = change.status;
    set.closedAt = change.status === "closed" ? new Date() : null;
    // Opening or closing ends a snooze; its pending wake-up then finds nothing to do.
    set.snoozedUntil = null;
  }
  if (Object.keys(set).length === 0) return conversation;
  const assigned = change.assigneeId !== undefined && change.assigneeId !== conversation.assigneeId;
  const events: WebhookEventType[] = assigned
    ? ["conversation.updated", "conversation.assigned"]
    : ["conversation.updated"];
  const hooks = await webhookJobsFor(deps, accountId, events);
  // Status, assignee and priority show in the Slack thread's header.
  const slackJobs = await slackJobsFor(deps, accountId);
  const write = async (runner: Db) => {
    const [row] = await runner
      .update(conversations)
      .set(set)
      .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
      .returning();
    const ids = { accountId, conversationId: id };
    await enqueueWebhookEvents(
      hooks,
      runner,
      events.map((type) => ({ type, ...ids })),
    );
    if (slackJobs && row) await enqueueSlackSync(slackJobs, runner, ids);
    return row;
  };
  // With webhooks or Slack, their jobs commit with the change.
  const updated = hooks || slackJobs ? await db.transaction((tx) => write(tx)) : await write(db);
  conversationUpdated(deps, accountId, id);
  return updated ?? conversation;
}

export const conversationUpdated = (deps: WriteDeps, accountId: string, conversationId: string) =>
  publish(deps, { type: "conversation.updated", accountId, conversationId });

/**
 * Marks the conversation read or unread for the team. Reading it as `userId`
 * also reads that agent's mentions in it (marking it unread leaves them be:
 * the mention was seen).
 */
export async function markConversationRead(
  deps: WriteDeps,
  { accountId, id, read, userId }: { accountId: string; id: string; read: boolean; userId: string },
) {
  const [updated] = await deps.db
    .update(conversations)
    .set({ read })
    .where(and(eq(conversations.accountId, accountId), eq(conversations.id, id)))
    .returning();
  if (!updated) throw notFound("Conversation");
  if (read) await markMentionsRead(deps.db, { accountId, conversationId: id, userId });
  conversationUpdated(deps, accountId, id);
  if (read) {
    publish(deps, {
      type: "conversation.read",
      accountId,
      conversationId: id,
      readAt: new Date().toISOString(),
    });
  }
  return updated;
}

export async function tagConversation(
  deps: WriteDeps,
  input: { accountId: string; conversationId: string; tagId: string },
) {
  const { db } = deps;
  await findConversation(db, input.accountId, input.conversationId);
  await getTag(db, { accountId: input.accountId, id: input.tagId });
  await changeTags(deps, input, async (runner) => {
    const added = await runner
      .insert(conversationTags)
      .values(input)
      .onConflictDoNothing()
      .returning({ tagId: conversationTags.tagId });
    return added.length > 0;
  });
  conversationUpdated(deps, input.accountId, input.conversationId);
}

export async function untagConversation(
  deps: WriteDeps,
  input: { accountId: string; conversationId: string; tagId: string },
) {
  const { db } = deps;
  await findConversation(db, input.accountId, input.conversationId);
  await changeTags(deps, input, async (runner) => {
    const removed = await runner
      .delete(conversationTags)
      .where(
        and(
          eq(conversationTags.accountId, input.accountId),
          eq(conversationTags.conversationId, input.conversationId),
          eq(conversationTags.tagId, input.tagId),
        ),
      )
      .returning({ tagId: conversationTags.tagId });
    return removed.length > 0;
  });
  conversationUpdated(deps, input.accountId, input.conversationId);
}

/**
 * Adds or removes a tag (`write` says whether it changed anything) and, when
 * it did, enqueues `conversation.updated` with it: a repeat (a tag already
 * there, or already gone) sends no webhook.
 */
async function changeTags(
  deps: WriteDeps,
  { accountId, conversationId }: { accountId: string; conversationId: string },
  write: (runner: Db) => Promise<boolean>,
) {
  const hooks = await webhookJobsFor(deps, accountId, ["conversation.updated"]);
  if (!hooks) {
    await write(deps.db);
    return;
  }
  await deps.db.transaction(async (tx) => {
    if (await write(tx)) {
      await enqueueWebhookEvents(hooks, tx, [
        { type: "conversation.updated", accountId, conversationId },
      ]);
    }
  });
}
