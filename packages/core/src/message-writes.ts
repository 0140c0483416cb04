// Storing messages. Each send is one SQL statement that locks the
// conversation, inserts the message unless its client message id is already
// there, and updates the conversation: one round trip, prepared once per
// pooled connection, because these are the writes Netia does most.
//
// The lock comes before the insert takes its seq, so messages into one
// conversation commit in seq order: a visitor's stream that resumes "after seq
// N" can never miss a message that committed late. Under the same lock the
// statement reads and moves the conversation's `last_public_seq`, so each
// public message knows the seq of the public message before it
// (`previousSeq`): the visitor's stream uses it to tell, without a query,
// whether a live message directly follows the last one it delivered
// (docs/realtime.md). Every message write (customer, agent, bot) must go
// through these statements. Only a new conversation, attachments, or a job to
// enqueue (an AI reply, an email, the Slack thread's sync) wrap the statement
// in a transaction.
import { type Db, runStatement, type Statement, schema, statement } from "@netia/db";
import { and, eq, sql } from "drizzle-orm";
import { assistantSwitchedOn } from "./assistant-trigger";
import { linkAttachments, type Uploader } from "./attachments";
import { DELIVER_REPLY_JOB } from "./email-replies";
import { AppError, notFound } from "./errors";
import { publish, type WriteDeps } from "./events";
import { announceMentions, mentionTargets, recordMentions } from "./mentions";
import { type Message, type MessageRow, serializeMessage } from "./message-dto";
import { withAttachments } from "./messages";
import { enqueueSlackSync, slackJobsFor } from "./slack-sync";
import { enqueueWebhookEvents, type WebhookEvent, webhookJobsFor } from "./webhook-events";

const { messages, conversations } = schema;

/** Every column of `messages`, named as MessageRow names them. */
const MESSAGE_COLUMNS = `id, seq, account_id as "accountId", conversation_id as "conversationId",
  type, sender_type as "senderType", user_id as "userId", customer_id as "customerId", body,
  private, client_message_id as "clientMessageId", seen_at as "seenAt", metadata,
  created_at as "createdAt"`;

/**
 * A row of MESSAGE_COLUMNS as a driver returns it (bigint and timestamps may be
 * text), with the seq of the conversation's public message before it.
 */
type MessageColumns = Omit<MessageRow, "seq" | "seenAt" | "createdAt"> & {
  seq: number | string;
  seenAt: Date | string | null;
  createdAt: Date | string;
  previousSeq: number | string | null;
  /** Who answers the conversation (the customer statement only). */
  answeredBy?: "assistant" | "people";
  /** An email reply the agent statement held back (see appendAgentMessage). */
  emailHeld?: boolean;
  /** The agent statement only: the reply took the unassigned conversation. */
  assigned?: boolean | null;
  /** The agent statement only: the reply took the conversation from the assistant. */
  handedOff?: boolean | null;
};

/** Thrown by `append` when the agent statement held an email reply back. */
class EmailReplyHeld extends Error {}

/**
 * Both statements take $1 conversation id and $2 account id, return no row when
 * the conversation is not there (for that sender: a customer's must also be in
 * the inbox of their widget session, $6), and a row of nulls when the
 * client message id was stored before. `last_public_seq` is read from the
 * locked row (FOR UPDATE returns its newest committed version, which a plain
 * read in the same statement would not see).
 */
const appendCustomerMessage = statement(
  "netia_append_customer_message",
  `with conversation as (
     select id, last_public_seq, answered_by from conversations
     where id = $1::uuid and account_id = $2::uuid and customer_id = $3::uuid
       and inbox_id = $6::uuid
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
         closed_at = null, snoozed_until = null, last_public_seq = inserted.seq,
         updated_at = now()
     from inserted where conversations.id = inserted."conversationId"
   )
   select inserted.*, conversation.last_public_seq as "previousSeq",
          conversation.answered_by as "answeredBy"
   from conversation left join inserted on true`,
);

/**
 * A reply marks the conversation read, sets the first-reply time and takes it if nobody has it; a note only moves it up.
 * A reply in an email conversation is held back (`emailHeld`, nothing stored)
 * unless $8 says the caller's transaction also enqueues its email: chats keep
 * this one statement, and no email reply is stored without its delivery job.
 * A reply also takes the conversation from the assistant (answered_by
 * 'people', reason 'agent_reply') in the same statement, so no AI reply can be
 * stored after the agent's without the job seeing it. It says whether the reply
 * assigned the conversation or handed it off (their webhooks).
 */
const appendAgentMessage = statement(
  "netia_append_agent_message",
  `with conversation as (
     select id, last_public_seq, assignee_id, answered_by,
            channel = 'email' and $4::message_type = 'reply' and not $8::boolean as email_held
     from conversations
     where id = $1::uuid and account_id = $2::uuid
     for update
   ),
   inserted as (
     insert into messages (account_id, conversation_id, type, sender_type, user_id, body, private, client_message_id, metadata)
     select $2::uuid, conversation.id, $4::message_type, 'user', $3::text, $5::text,
            $4::message_type = 'note', $6::text, $7::jsonb
     from conversation where not conversation.email_held
     on conflict do nothing
     returning ${MESSAGE_COLUMNS}
   ),
   touched as (
     update conversations
     set last_activity_at = inserted."createdAt",
         read = not inserted.private or conversations.read,
         first_replied_at = case when inserted.private then conversations.first_replied_at
                                 else coalesce(conversations.first_replied_at, inserted."createdAt") end,
         assignee_id = case when inserted.private then conversations.assignee_id
                            else coalesce(conversations.assignee_id, $3::text) end,
         last_public_seq = case when inserted.private then conversations.last_public_seq
                                else inserted.seq end,
         answered_by = case when inserted.private then conversations.answered_by
                            else 'people' end,
         handoff_reason = case when not inserted.private and conversations.answered_by = 'assistant'
                               then 'agent_reply' else conversations.handoff_reason end,
         handed_off_at = case when not inserted.private and conversations.answered_by = 'assistant'
                              then inserted."createdAt" else conversations.handed_off_at end,
         updated_at = now()
     from inserted where conversations.id = inserted."conversationId"
   )
   select inserted.*, conversation.last_public_seq as "previousSeq",
          conversation.email_held as "emailHeld",
          not inserted.private and conversation.assignee_id is null and $3::text is not null
            as "assigned",
          not inserted.private and conversation.answered_by = 'assistant' as "handedOff"
   from conversation left join inserted on true`,
);

/**
 * The assistant's message: public, by no user, moves the conversation's
 * activity and last public seq; the agents' read state, assignee and first
 * reply time stay as they are (a bot's answer is not an agent's). $3 body,
 * $4 client message id (the bot's idempotency key), $5 metadata.
 */
const appendBotMessage = statement(
  "netia_append_bot_message",
  `with conversation as (
     select id, last_public_seq from conversations
     where id = $1::uuid and account_id = $2::uuid
     for update
   ),
   inserted as (
     insert into messages (account_id, conversation_id, type, sender_type, body, client_message_id, metadata)
     select $2::uuid, conversation.id, 'bot', 'bot', $3::text, $4::text, $5::jsonb
     from conversation
     on conflict do nothing
     returning ${MESSAGE_COLUMNS}
   ),
   touched as (
     update conversations
     set last_activity_at = inserted."createdAt", last_public_seq = inserted.seq,
         updated_at = now()
     from inserted where conversations.id = inserted."conversationId"
   )
   select inserted.*, conversation.last_public_seq as "previousSeq"
   from conversation left join inserted on true`,
);

/** A note from the bot to the team (a handoff, an alert): private, so the public seq stays. */
const appendBotNote = statement(
  "netia_append_bot_note",
  `with conversation as (
     select id, last_public_seq from conversations
     where id = $1::uuid and account_id = $2::uuid
     for update
   ),
   inserted as (
     insert into messages (account_id, conversation_id, type, sender_type, body, private, client_message_id, metadata)
     select $2::uuid, conversation.id, 'note', 'bot', $3::text, true, $4::text, $5::jsonb
     from conversation
     on conflict do nothing
     returning ${MESSAGE_COLUMNS}
   ),
   touched as (
     update conversations set last_activity_at = inserted."createdAt", updated_at = now()
     from inserted where conversations.id = inserted."conversationId"
   )
   select inserted.*, null::bigint as "previousSeq"
   from conversation left join inserted on true`,
);

/**
 * A bot's idempotency key is stored as its message's client message id under
 * this prefix. The unique index on client message ids is per conversation, not
 * per sender, so customers and agents may not use the prefix: nobody can take
 * a key before the bot's reply is stored.
 */
const BOT_KEY_PREFIX = "bot:";

type SenderType = MessageRow["senderType"];

function assertClientMessageIdAllowed(senderType: SenderType, clientMessageId?: string): void {
  if (senderType !== "bot" && clientMessageId?.startsWith(BOT_KEY_PREFIX)) {
    throw new AppError("BAD_REQUEST", `a client message id cannot start with "${BOT_KEY_PREFIX}"`);
  }
}

type Appended = {
  message: Message;
  created: boolean;
  /**
   * Seq of the conversation's public message before this one (null: none), read
   * under the row lock; unknown (undefined) for a repeat.
   */
  previousSeq?: number | null;
  /** Who answers the conversation, when the statement says (customer messages). */
  answeredBy?: "assistant" | "people";
  /** An agent's reply that took the unassigned conversation (so it announces the assignment). */
  assigned?: boolean;
  /** An agent's reply that took the conversation from the assistant. */
  handedOff?: boolean;
};

/**
 * Runs an append statement, then links the message's attachments (on the same
 * transaction, when there are any). A repeated client message id returns the
 * stored message instead.
 */
async function append(
  db: Db,
  s: Statement,
  values: unknown[],
  target: {
    accountId: string;
    conversationId: string;
    senderType: SenderType;
    clientMessageId?: string;
    /** Whose uploads may be attached; the bot attaches none. */
    uploader?: Uploader;
    attachmentIds?: string[];
  },
): Promise<Appended> {
  assertClientMessageIdAllowed(target.senderType, target.clientMessageId);
  const [row] = await runStatement<MessageColumns>(db, s, values);
  if (!row) throw notFound("Conversation");
  if (row.emailHeld) throw new EmailReplyHeld();
  if (row.id === null) {
    const [existing] = await withAttachments(db, [await storedByClientId(db, target)]);
    return { message: existing as Message, created: false };
  }
  const { previousSeq, answeredBy, emailHeld: _, assigned, handedOff, ...columns } = row;
  const message: MessageRow = {
    ...columns,
    seq: Number(row.seq),
    seenAt: row.seenAt === null ? null : new Date(row.seenAt),
    createdAt: new Date(row.createdAt),
  };
  const attachments = target.uploader
    ? await linkAttachments(db, {
        accountId: target.accountId,
        messageId: message.id,
        uploader: target.uploader,
        ids: target.attachmentIds ?? [],
      })
    : [];
  return {
    message: { ...message, attachments },
    created: true,
    previousSeq: previousSeq === null ? null : Number(previousSeq),
    ...(answeredBy && { answeredBy }),
    ...(assigned ? { assigned: true } : {}),
    ...(handedOff ? { handedOff: true } : {}),
  };
}

/** Attachments must link in the same transaction as their message, or not at all. */
function withTransactionIf<T>(db: Db, needed: boolean, fn: (db: Db) => Promise<T>): Promise<T> {
  return needed ? db.transaction((tx) => fn(tx)) : fn(db);
}

/**
 * The message a repeated send stored first. Only the same kind of sender's
 * message counts: another sender's message with that id is not this send.
 */
async function storedByClientId(
  db: Db,
  target: { conversationId: string; senderType: SenderType; clientMessageId?: string },
): Promise<MessageRow> {
  const { conversationId, senderType, clientMessageId } = target;
  if (!clientMessageId) {
    throw new Error("message insert conflicted without a client message id");
  }
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.clientMessageId, clientMessageId),
      ),
    )
    .limit(1);
  if (!row) throw new Error("message insert conflicted but no message has that client id");
  if (row.senderType !== senderType) {
    throw new AppError("CONFLICT", "another message in this conversation has that client id");
  }
  return row;
}

/**
 * A new message also means the conversation moved (activity, read state,
 * reopening): subscribers treat message.created as such, so only a new
 * conversation gets an event of its own. A repeat is announced again: its
 * first publish may have been lost with the process that committed it (the
 * client retried because it got no answer), and subscribers drop repeats.
 * Publishing never waits for the bus (see publish()).
 */
function announce(deps: WriteDeps, appended: Appended, conversationCreated: boolean): void {
  const { message, previousSeq } = appended;
  const ids = { accountId: message.accountId, conversationId: message.conversationId };
  publish(deps, {
    type: "message.created",
    ...ids,
    message: serializeMessage(message),
    ...(previousSeq !== undefined && { previousSeq }),
  });
  if (conversationCreated) publish(deps, { type: "conversation.created", ...ids });
}

/** The webhook events of a stored message (docs/webhooks.md). */
function webhookEventsOf(
  appended: Appended,
  conversationCreated: boolean,
): Omit<WebhookEvent, "id" | "occurredAt">[] {
  const { accountId, conversationId, id: messageId, customerId } = appended.message;
  const created = { type: "message.created" as const, accountId, conversationId, messageId };
  if (appended.assigned || appended.handedOff) {
    // An agent's reply that took the conversation changed it: one update, and the assignment.
    const ids = { accountId, conversationId };
    return [
      created,
      { type: "conversation.updated", ...ids },
      ...(appended.assigned ? [{ type: "conversation.assigned" as const, ...ids }] : []),
    ];
  }
  if (!conversationCreated) return [created];
  return [
    {
      type: "conversation.created",
      accountId,
      conversationId,
      ...(customerId && { customerId }),
    },
    created,
  ];
}

/**
 * An agent's reply or private note. A reply also sets the first-reply time,
 * assigns the conversation to the replying agent when nobody has it, and marks
 * it read; notes change nothing the customer could notice. Teammates in
 * `mentionedUserIds` are stored as mentions with the message (same
 * transaction) and told with `mention.created` once it committed; a repeated
 * send (same client message id) stores and announces no mention again.
 */
export async function createAgentMessage(
  deps: WriteDeps,
  input: {
    accountId: string;
    /**
     * The agent; null for someone of the team who is no Netia agent (a Slack
     * user matched to none), named in `metadata`. Such a message carries no
     * attachments or mentions.
     */
    userId: string | null;
    conversationId: string;
    body: string;
    kind: "reply" | "note";
    clientMessageId?: string;
    attachmentIds?: string[];
    /** Buttons the customer can click to answer with that text. */
    quickReplies?: string[];
    /** Teammates @mentioned in the body (see mentions.ts). */
    mentionedUserIds?: string[];
    /** Where the message came from, e.g. `{ via: "slack", slack: {…} }`. */
    metadata?: Record<string, unknown>;
  },
): Promise<Message> {
  const { userId } = input;
  const mentioned = userId
    ? await mentionTargets(deps.db, {
        accountId: input.accountId,
        authorId: userId,
        mentionedUserIds: input.mentionedUserIds,
      })
    : [];
  const metadata = {
    ...input.metadata,
    ...(input.quickReplies?.length &&
      input.kind !== "note" && { quickReplies: input.quickReplies }),
  };
  const hooks = await webhookJobsFor(deps, input.accountId, [
    "message.created",
    "conversation.updated",
    "conversation.assigned",
  ]);
  const { jobs } = deps;
  const slackJobs = await slackJobsFor(deps, input.accountId);
  const needsTransaction =
    !!input.attachmentIds?.length || mentioned.length > 0 || hooks !== null || slackJobs !== null;
  // withEmail: this transaction also enqueues the reply's email (see appendAgentMessage).
  const store = async (db: Db, withEmail: boolean) => {
    const result = await append(
      db,
      appendAgentMessage,
      [
        input.conversationId,
        input.accountId,
        userId,
        input.kind,
        input.body,
        input.clientMessageId ?? null,
        JSON.stringify(metadata),
        withEmail || !jobs,
      ],
      { ...input, senderType: "user", uploader: userId ? { userId } : undefined },
    );
    if (result.created) {
      if (userId) await recordMentions(db, mentionOf(result.message, userId), mentioned);
      await enqueueWebhookEvents(hooks, db, webhookEventsOf(result, false));
    }
    if (withEmail && jobs && result.created) {
      await jobs.enqueue(db, DELIVER_REPLY_JOB, {
        accountId: input.accountId,
        conversationId: input.conversationId,
        messageId: result.message.id,
      });
    }
    if (slackJobs && result.created) {
      await enqueueSlackSync(slackJobs, db, {
        accountId: input.accountId,
        conversationId: input.conversationId,
      });
    }
    return result;
  };
  let appended: Appended;
  try {
    appended = await withTransactionIf(deps.db, needsTransaction, (db) => store(db, false));
  } catch (error) {
    if (!(error instanceof EmailReplyHeld)) throw error;
    // An email conversation: the reply and its delivery job commit together.
    appended = await deps.db.transaction((tx) => store(tx, true));
  }
  announce(deps, appended, false);
  if (appended.created && userId)
    announceMentions(deps, mentionOf(appended.message, userId), mentioned);
  return appended.message;
}

function mentionOf(message: Message, authorId: string) {
  return {
    accountId: message.accountId,
    conversationId: message.conversationId,
    messageId: message.id,
    mentionedById: authorId,
  };
}

/**
 * A customer's message, stored once per client message id: a retry (after a
 * timeout, a reconnect, a double click) returns the first one. Without a
 * conversation id it starts a new conversation; a message to a closed or
 * snoozed conversation reopens it.
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
  const replyJobs = await replyJobsFor(deps, input);
  const hooks = await webhookJobsFor(deps, input.accountId, [
    "message.created",
    "conversation.created",
  ]);
  const slackJobs = await slackJobsFor(deps, input.accountId);
  const into = async (db: Db, conversationId: string, conversationCreated: boolean) => {
    const appended = await append(
      db,
      appendCustomerMessage,
      [
        conversationId,
        input.accountId,
        input.customerId,
        input.body,
        input.clientMessageId,
        input.inboxId,
      ],
      {
        ...input,
        conversationId,
        senderType: "customer",
        uploader: { customerId: input.customerId },
      },
    );
    if (replyJobs && appended.created && appended.answeredBy === "assistant") {
      // On the message's transaction: the job commits with it or not at all.
      await replyJobs.enqueue(db, "ai.reply", {
        accountId: input.accountId,
        conversationId,
        messageId: appended.message.id,
      });
    }
    if (appended.created) {
      await enqueueWebhookEvents(hooks, db, webhookEventsOf(appended, conversationCreated));
    }
    if (slackJobs && appended.created) {
      await enqueueSlackSync(slackJobs, db, { accountId: input.accountId, conversationId });
    }
    return appended;
  };
  const { conversationId } = input;
  const result = conversationId
    ? {
        ...(await withTransactionIf(
          deps.db,
          !!input.attachmentIds?.length ||
            replyJobs !== null ||
            hooks !== null ||
            slackJobs !== null,
          (db) => into(db, conversationId, false),
        )),
        conversationCreated: false,
      }
    : await deps.db.transaction(async (tx) => {
        // A first message has no conversation to lock: its retries take turns per
        // customer and find the first attempt by sender, in this inbox only.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.customerId}))`);
        const [previous] = await tx
          .select({ message: messages })
          .from(messages)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .where(
            and(
              eq(messages.customerId, input.customerId),
              eq(messages.clientMessageId, input.clientMessageId),
              eq(conversations.inboxId, input.inboxId),
            ),
          )
          .limit(1);
        if (previous) {
          const [message] = await withAttachments(tx, [previous.message]);
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
        return { ...(await into(tx, conversation.id, true)), conversationCreated: true };
      });
  announce(deps, result, result.conversationCreated);
  return result;
}

/**
 * The queue to enqueue an AI reply on, when the assistant may answer in this
 * inbox (provider configured, account and inbox switched on); null keeps the
 * message on its one-statement path. Whether the conversation is still the
 * assistant's is known only once the statement ran.
 */
async function replyJobsFor(
  deps: WriteDeps,
  input: { accountId: string; inboxId: string },
): Promise<NonNullable<WriteDeps["jobs"]> | null> {
  if (!deps.ai || !deps.jobs) return null;
  return (await assistantSwitchedOn(deps.db, input)) ? deps.jobs : null;
}

/**
 * A message from the assistant (or any automation speaking as the bot), stored
 * once per `idempotencyKey`: a retried job that calls this again gets the first
 * message back (`created: false`) instead of writing a second reply. A job that
 * answers a customer message should use that message's id as the key. The
 * visitor sees it live, in order, like an agent's reply.
 */
export async function createBotMessage(
  deps: WriteDeps,
  input: {
    accountId: string;
    conversationId: string;
    body: string;
    idempotencyKey: string;
    /** E.g. `{ quickReplies: [...] }`, or what the assistant records (model, sources). */
    metadata?: Record<string, unknown>;
    /** A private note to the team (a handoff, an alert) instead of a reply to the customer. */
    private?: boolean;
  },
): Promise<{ message: Message; created: boolean }> {
  const clientMessageId = `${BOT_KEY_PREFIX}${input.idempotencyKey}`;
  const hooks = await webhookJobsFor(deps, input.accountId, ["message.created"]);
  const slackJobs = await slackJobsFor(deps, input.accountId);
  const appended = await withTransactionIf(
    deps.db,
    hooks !== null || slackJobs !== null,
    async (db) => {
      const result = await append(
        db,
        input.private ? appendBotNote : appendBotMessage,
        [
          input.conversationId,
          input.accountId,
          input.body,
          clientMessageId,
          JSON.stringify(input.metadata ?? {}),
        ],
        { ...input, senderType: "bot", clientMessageId },
      );
      if (result.created) {
        await enqueueWebhookEvents(hooks, db, webhookEventsOf(result, false));
      }
      if (slackJobs && result.created) {
        await enqueueSlackSync(slackJobs, db, {
          accountId: input.accountId,
          conversationId: input.conversationId,
        });
      }
      return result;
    },
  );
  announce(deps, appended, false);
  return { message: appended.message, created: appended.created };
}
