// Shared support channels (Slack Connect): an admin ties a channel of the
// installed workspace to a company and an inbox; from then on a customer's
// top-level message there starts a conversation (inbound/support-message.ts).
// The channel is checked with conversations.info when it is connected (the
// picker lists channels through settings.ts); the bot joins a public channel
// it is not in yet, so it hears the messages.
import type { Config } from "@netia/config";
import { AppError, assertCompany, forgetSlackFollows, getInbox, notFound } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, asc, eq } from "drizzle-orm";
import {
  connectionClient,
  connectionOfAccount,
  markReconnectRequired,
  type SlackConnection,
} from "./connections";
import { classifySlackError } from "./errors";

const { slackSupportChannels, companies, inboxes } = schema;

type Deps = { db: Db; config: Config };

async function activeConnection(deps: Deps, accountId: string): Promise<SlackConnection> {
  const connection = await connectionOfAccount(deps.db, accountId);
  if (!connection) throw new AppError("BAD_REQUEST", "Connect Slack first (Settings → Slack)");
  if (connection.status !== "active") {
    throw new AppError("BAD_REQUEST", "Slack must be reconnected first (Settings → Slack)");
  }
  return connection;
}

/** Slack refusing the token makes the connection "reconnect required" and says so. */
async function slackCall<T>(deps: Deps, connection: SlackConnection, call: () => Promise<T>) {
  try {
    return await call();
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind === "auth") {
      await markReconnectRequired(deps.db, connection.id, failure.reason);
      forgetSlackFollows(connection.accountId);
      throw new AppError("CONFLICT", `${failure.reason}: install the app again`);
    }
    if ((error as { data?: { error?: string } }).data?.error === "channel_not_found") {
      throw notFound("Slack channel");
    }
    throw new AppError("BAD_REQUEST", `${failure.reason}; try again`);
  }
}

export async function listSupportChannels(db: Db, accountId: string) {
  return db
    .select({
      id: slackSupportChannels.id,
      channelId: slackSupportChannels.channelId,
      channelName: slackSupportChannels.channelName,
      companyId: slackSupportChannels.companyId,
      companyName: companies.name,
      inboxId: slackSupportChannels.inboxId,
      inboxName: inboxes.name,
      createdAt: slackSupportChannels.createdAt,
    })
    .from(slackSupportChannels)
    .innerJoin(companies, eq(companies.id, slackSupportChannels.companyId))
    .innerJoin(inboxes, eq(inboxes.id, slackSupportChannels.inboxId))
    .where(eq(slackSupportChannels.accountId, accountId))
    .orderBy(asc(slackSupportChannels.channelName));
}

/**
 * Ties a channel to a company and inbox of the account (connecting it again
 * changes them). The channel must exist in the workspace; the bot joins it
 * when it can (public channels), else an admin must invite it.
 */
export async function connectSupportChannel(
  deps: Deps,
  input: { accountId: string; channelId: string; companyId: string; inboxId: string },
) {
  const { accountId } = input;
  await assertCompany(deps.db, accountId, input.companyId);
  await getInbox(deps.db, { accountId, id: input.inboxId });
  const connection = await activeConnection(deps, accountId);
  const client = connectionClient(deps.config, connection);
  const { channel } = await slackCall(deps, connection, () =>
    client.conversations.info({ channel: input.channelId }),
  );
  if (!channel?.id || !channel.name) throw notFound("Slack channel");
  if (channel.is_archived) throw new AppError("BAD_REQUEST", "That Slack channel is archived");
  if (!channel.is_member) {
    if (channel.is_private) {
      throw new AppError(
        "BAD_REQUEST",
        `Invite the Netia app to #${channel.name} in Slack first (/invite @Netia)`,
      );
    }
    await slackCall(deps, connection, () =>
      client.conversations.join({ channel: input.channelId }),
    );
  }
  const values = {
    accountId,
    connectionId: connection.id,
    channelId: channel.id,
    channelName: channel.name,
    companyId: input.companyId,
    inboxId: input.inboxId,
  };
  const [row] = await deps.db
    .insert(slackSupportChannels)
    .values(values)
    .onConflictDoUpdate({
      target: [slackSupportChannels.connectionId, slackSupportChannels.channelId],
      set: { ...values, updatedAt: new Date() },
    })
    .returning({ id: slackSupportChannels.id });
  if (!row) throw new Error("support channel upsert returned nothing");
  return row;
}

/** Stops starting conversations from the channel; its conversations stay. */
export async function disconnectSupportChannel(db: Db, input: { accountId: string; id: string }) {
  const deleted = await db
    .delete(slackSupportChannels)
    .where(
      and(
        eq(slackSupportChannels.accountId, input.accountId),
        eq(slackSupportChannels.id, input.id),
      ),
    )
    .returning({ id: slackSupportChannels.id });
  if (deleted.length === 0) throw notFound("Support channel");
}
