// A reply in a conversation's Slack thread. From the team it reaches the
// customer as the agent's reply — the agent whose email is on the Slack
// profile; someone matched to no agent is still answered for, under their
// Slack name and flagged so in the dashboard — or, when it starts with the
// connection's note prefix (";;"), stays a private note. In a support channel
// the customer writes in the same thread: their replies are the customer's.
// The Netia message and its slack_messages row (direction in) commit
// together, so the thread job never posts it back, and a retried job finds
// the row and imports nothing twice.
import { createAgentMessage, createCustomerMessage, heldBus, type Message } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, eq, sql } from "drizzle-orm";
import { mrkdwnToMarkdown } from "../mrkdwn";
import {
  type Inbound,
  knownSlackMessage,
  type SlackMessageEvent,
  slackClientMessageId,
  slackMetadata,
} from "./context";
import { agentByEmail, type SlackPerson, slackPerson } from "./slack-users";

const { slackThreads, slackMessages, conversations } = schema;

/** The conversation whose thread this is, if Netia started (or imported) it. */
export async function threadOf(db: Db, accountId: string, channel: string, threadTs: string) {
  const [thread] = await db
    .select()
    .from(slackThreads)
    .where(
      and(
        eq(slackThreads.accountId, accountId),
        eq(slackThreads.channelId, channel),
        eq(slackThreads.threadTs, threadTs),
      ),
    )
    .limit(1);
  return thread ?? null;
}

/** Someone of another organisation in a shared channel: the customer, not the team. */
export const isOutsider = (inbound: Inbound, person: SlackPerson) =>
  person.teamId !== null && person.teamId !== inbound.connection.teamId;

export async function importThreadReply(
  inbound: Inbound,
  event: SlackMessageEvent & { thread_ts: string; user: string },
): Promise<string> {
  const { deps, connection } = inbound;
  const accountId = connection.accountId;
  const thread = await threadOf(deps.db, accountId, event.channel, event.thread_ts);
  if (!thread) return "ignored: not a conversation's thread";
  if (await knownSlackMessage(deps.db, accountId, event.channel, event.ts)) return "duplicate";
  const person = await slackPerson(inbound.client, event.user);
  if (person.isBot) return "ignored: a bot's message";
  const text = mrkdwnToMarkdown(event.text);
  const fromCustomer = thread.kind === "support" && isOutsider(inbound, person);
  const prefix = connection.notePrefix;
  const note = !fromCustomer && prefix !== "" && text.startsWith(prefix);
  const body = note ? text.slice(prefix.length).trim() : text;
  if (!body) return "ignored: empty";
  const agent = fromCustomer ? null : await agentByEmail(deps.db, accountId, person.email);

  const held = heldBus(deps.bus);
  const outcome = await deps.db.transaction(async (tx): Promise<string> => {
    // One import per Slack message, however many jobs carry it.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`slack:${accountId}:${event.channel}:${event.ts}`}))`,
    );
    if (await knownSlackMessage(tx, accountId, event.channel, event.ts)) return "duplicate";
    const txDeps = { ...deps, db: tx as Db, bus: held.bus };
    const clientMessageId = slackClientMessageId(event.channel, event.ts);
    let message: Message;
    if (fromCustomer) {
      const [conversation] = await tx
        .select({ inboxId: conversations.inboxId, customerId: conversations.customerId })
        .from(conversations)
        .where(eq(conversations.id, thread.conversationId));
      if (!conversation) return "ignored: conversation deleted";
      ({ message } = await createCustomerMessage(txDeps, {
        accountId,
        inboxId: conversation.inboxId,
        customerId: conversation.customerId,
        conversationId: thread.conversationId,
        body,
        clientMessageId,
      }));
      await tx
        .update(schema.messages)
        .set({ metadata: slackMetadata(person, true) })
        .where(eq(schema.messages.id, message.id));
      message = { ...message, metadata: slackMetadata(person, true) };
    } else {
      message = await createAgentMessage(txDeps, {
        accountId,
        userId: agent?.id ?? null,
        conversationId: thread.conversationId,
        body,
        kind: note ? "note" : "reply",
        clientMessageId,
        metadata: slackMetadata(person, !!agent),
      });
    }
    await tx
      .insert(slackMessages)
      .values({
        accountId,
        channelId: event.channel,
        ts: event.ts,
        conversationId: thread.conversationId,
        messageId: message.id,
        direction: "in",
      })
      .onConflictDoNothing();
    const kind = fromCustomer ? "customer message" : note ? "note" : "reply";
    return `imported ${kind} ${message.id}${!fromCustomer && !agent ? " (unmatched user)" : ""}`;
  });
  // A customer's message gets its metadata in the same transaction; its event says so too.
  held.release((e) =>
    e.type === "message.created" && fromCustomer
      ? { ...e, message: { ...e.message, metadata: slackMetadata(person, true) } }
      : e,
  );
  deps.logger.info(
    { accountId, channel: event.channel, ts: event.ts, outcome },
    `slack thread reply conversation:${thread.conversationId}`,
  );
  return outcome;
}
