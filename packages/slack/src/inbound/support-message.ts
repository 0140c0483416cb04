// A customer's top-level message in a shared support channel (Slack Connect)
// starts a conversation: in the channel's inbox, from the customer the Slack
// person is (found by email, else by their Slack id, else created in the
// channel's company), with the message as its thread — a slack_threads row of
// kind 'support' — so the team's replies in the dashboard go back there and
// replies in the thread come in. Everything commits in one transaction with
// the message's slack_messages row.
import {
  announceConversationStarted,
  createCustomerMessage,
  enqueueWebhookEvents,
  heldBus,
  type WebhookJobs,
} from "@netia/core";
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
import type { SlackPerson } from "./slack-users";

const { customers, conversations, slackMessages, slackSupportChannels, slackThreads } = schema;

export type SupportChannel = typeof slackSupportChannels.$inferSelect;

export async function supportChannelOf(db: Db, connectionId: string, channelId: string) {
  const [row] = await db
    .select()
    .from(slackSupportChannels)
    .where(
      and(
        eq(slackSupportChannels.connectionId, connectionId),
        eq(slackSupportChannels.channelId, channelId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * The account's customer for this Slack person, made in the channel's company
 * if new (its `customer.created` webhook commits with it).
 */
async function customerOf(
  tx: Db,
  jobs: WebhookJobs | undefined,
  channel: SupportChannel,
  person: SlackPerson,
): Promise<string> {
  const { accountId } = channel;
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`slack:${accountId}:${person.id}`}))`,
  );
  const [existing] = await tx
    .select({ id: customers.id, companyId: customers.companyId })
    .from(customers)
    .where(
      and(
        eq(customers.accountId, accountId),
        person.email
          ? sql`lower(${customers.email}) = ${person.email}`
          : sql`${customers.metadata}->>'slackUserId' = ${person.id}`,
      ),
    )
    .orderBy(customers.createdAt)
    .limit(1);
  if (existing) {
    if (!existing.companyId) {
      await tx
        .update(customers)
        .set({ companyId: channel.companyId })
        .where(eq(customers.id, existing.id));
    }
    return existing.id;
  }
  const [created] = await tx
    .insert(customers)
    .values({
      accountId,
      email: person.email,
      name: person.name,
      companyId: channel.companyId,
      metadata: { slackUserId: person.id },
    })
    .returning({ id: customers.id });
  if (!created) throw new Error("customer insert returned nothing");
  await enqueueWebhookEvents(jobs, tx, [
    { type: "customer.created", accountId, customerId: created.id },
  ]);
  return created.id;
}

export async function startSupportConversation(
  inbound: Inbound,
  channel: SupportChannel,
  event: SlackMessageEvent,
  person: SlackPerson,
): Promise<string> {
  const { deps, connection } = inbound;
  const { accountId } = channel;
  const body = mrkdwnToMarkdown(event.text);
  if (!body) return "ignored: empty";
  const metadata = slackMetadata(person, true);
  const held = heldBus(deps.bus);
  const result = await deps.db.transaction(async (tx) => {
    const db = tx as Db;
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`slack:${accountId}:${event.channel}:${event.ts}`}))`,
    );
    if (await knownSlackMessage(db, accountId, event.channel, event.ts)) return null;
    const customerId = await customerOf(db, deps.jobs, channel, person);
    const [conversation] = await tx
      .insert(conversations)
      .values({ accountId, inboxId: channel.inboxId, customerId, channel: "slack", read: false })
      .returning({ id: conversations.id });
    if (!conversation) throw new Error("conversation insert returned nothing");
    const txDeps = { ...deps, db, bus: held.bus };
    await announceConversationStarted(txDeps, db, {
      accountId,
      conversationId: conversation.id,
      customerId,
    });
    const { message } = await createCustomerMessage(txDeps, {
      accountId,
      inboxId: channel.inboxId,
      customerId,
      conversationId: conversation.id,
      body,
      clientMessageId: slackClientMessageId(event.channel, event.ts),
    });
    await tx.update(schema.messages).set({ metadata }).where(eq(schema.messages.id, message.id));
    await tx.insert(slackThreads).values({
      conversationId: conversation.id,
      accountId,
      connectionId: connection.id,
      kind: "support",
      channelId: event.channel,
      threadTs: event.ts,
      // The thread's first message is the customer's own: nothing before it to post.
      postedThroughSeq: message.seq,
    });
    await tx.insert(slackMessages).values({
      accountId,
      channelId: event.channel,
      ts: event.ts,
      conversationId: conversation.id,
      messageId: message.id,
      direction: "in",
    });
    return { conversationId: conversation.id, messageId: message.id };
  });
  if (!result) return "duplicate";
  held.release((e) =>
    e.type === "message.created" && e.message.id === result.messageId
      ? { ...e, message: { ...e.message, metadata } }
      : e,
  );
  deps.logger.info(
    { accountId, channel: event.channel, ts: event.ts },
    `slack support message started conversation:${result.conversationId}`,
  );
  return `started conversation ${result.conversationId}`;
}
