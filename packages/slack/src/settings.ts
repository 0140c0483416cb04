// What Settings → Slack reads and changes: the connection (workspace, channel,
// mode, note prefix, whether it needs reconnecting), the channels the bot can
// post in, disconnecting, and the threads whose last post failed. Every
// function is scoped to one account; admin-only is the router's to enforce.
import type { Config } from "@netia/config";
import { AppError, forgetSlackFollows, type Logger } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { connectionClient, connectionOfAccount, type SlackConnection } from "./connections";
import { classifySlackError } from "./errors";

const { slackConnections, slackThreads, conversations, customers, messages } = schema;

type Deps = { db: Db; config: Config; logger?: Logger };

export type SlackConnectionView = {
  teamName: string;
  teamId: string;
  channelId: string | null;
  channelName: string | null;
  mode: "threads" | "alerts";
  notePrefix: string;
  status: "active" | "reconnect_required";
  lastError: string | null;
};

function view(c: SlackConnection): SlackConnectionView {
  return {
    teamName: c.teamName,
    teamId: c.teamId,
    channelId: c.channelId,
    channelName: c.channelName,
    mode: c.mode,
    notePrefix: c.notePrefix,
    status: c.status,
    lastError: c.lastError,
  };
}

export async function slackConnectionView(
  db: Db,
  accountId: string,
): Promise<SlackConnectionView | null> {
  const connection = await connectionOfAccount(db, accountId);
  return connection && view(connection);
}

async function activeConnection(db: Db, accountId: string): Promise<SlackConnection> {
  const connection = await connectionOfAccount(db, accountId);
  if (!connection) throw new AppError("NOT_FOUND", "Slack is not connected");
  if (connection.status !== "active") {
    throw new AppError("CONFLICT", "Slack needs reconnecting: install the app again");
  }
  return connection;
}

/** Slack's refusal as a message for the admin; a refused token also marks the connection. */
async function slackCallError(
  db: Db,
  connection: SlackConnection,
  error: unknown,
): Promise<AppError> {
  const failure = classifySlackError(error);
  if (failure.kind === "auth") {
    await db
      .update(slackConnections)
      .set({ status: "reconnect_required", lastError: failure.reason, updatedAt: new Date() })
      .where(eq(slackConnections.id, connection.id));
    forgetSlackFollows(connection.accountId);
    return new AppError("CONFLICT", `${failure.reason}: install the app again`);
  }
  return new AppError("BAD_REQUEST", `${failure.reason}; try again`);
}

export type SlackChannelOption = {
  id: string;
  name: string;
  isPrivate: boolean;
  /** The bot is in it (a private channel must invite it first). */
  isMember: boolean;
};

/** The workspace's channels, public and private ones the bot is in, by name. */
export async function listSlackChannels(
  deps: Deps,
  accountId: string,
): Promise<SlackChannelOption[]> {
  const connection = await activeConnection(deps.db, accountId);
  const client = connectionClient(deps.config, connection);
  const channels: SlackChannelOption[] = [];
  let cursor: string | undefined;
  try {
    // Ten pages of 200 is more than a picker can show; bigger workspaces search by name in Slack.
    for (let page = 0; page < 10; page++) {
      const result = await client.conversations.list({
        types: "public_channel,private_channel",
        exclude_archived: true,
        limit: 200,
        ...(cursor && { cursor }),
      });
      for (const c of result.channels ?? []) {
        if (!c.id || !c.name) continue;
        channels.push({
          id: c.id,
          name: c.name,
          isPrivate: !!c.is_private,
          isMember: !!c.is_member,
        });
      }
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
  } catch (error) {
    throw await slackCallError(deps.db, connection, error);
  }
  return channels.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Where new conversations are posted. The bot joins a public channel by
 * itself; a private one must have invited it, or nothing could be posted.
 */
export async function chooseSlackChannel(
  deps: Deps,
  input: { accountId: string; channelId: string },
): Promise<SlackConnectionView> {
  const connection = await activeConnection(deps.db, input.accountId);
  const client = connectionClient(deps.config, connection);
  let channel: {
    id?: string;
    name?: string;
    is_private?: boolean;
    is_member?: boolean;
    is_archived?: boolean;
  };
  try {
    channel = (await client.conversations.info({ channel: input.channelId })).channel ?? {};
  } catch (error) {
    const failure = classifySlackError(error);
    if (failure.kind === "permanent") throw new AppError("NOT_FOUND", "Slack has no such channel");
    throw await slackCallError(deps.db, connection, error);
  }
  if (!channel.id || !channel.name) throw new AppError("NOT_FOUND", "Slack has no such channel");
  if (channel.is_archived) throw new AppError("BAD_REQUEST", `#${channel.name} is archived`);
  if (!channel.is_member) {
    if (channel.is_private) {
      throw new AppError(
        "BAD_REQUEST",
        `Invite the Netia app to #${channel.name} first (/invite in the channel), then choose it`,
      );
    }
    try {
      await client.conversations.join({ channel: channel.id });
    } catch (error) {
      // Without channels:join the admin can still invite the app by hand.
      const failure = classifySlackError(error);
      if (failure.kind !== "permanent") throw await slackCallError(deps.db, connection, error);
      throw new AppError(
        "BAD_REQUEST",
        `Netia could not join #${channel.name} (${failure.reason}); invite the app there and choose it again`,
      );
    }
  }
  const [row] = await deps.db
    .update(slackConnections)
    .set({ channelId: channel.id, channelName: channel.name, updatedAt: new Date() })
    .where(eq(slackConnections.id, connection.id))
    .returning();
  return view(row as SlackConnection);
}

export async function updateSlackSettings(
  db: Db,
  input: { accountId: string; mode?: "threads" | "alerts"; notePrefix?: string },
): Promise<SlackConnectionView> {
  const [row] = await db
    .update(slackConnections)
    .set({
      ...(input.mode && { mode: input.mode }),
      ...(input.notePrefix !== undefined && { notePrefix: input.notePrefix }),
      updatedAt: new Date(),
    })
    .where(eq(slackConnections.accountId, input.accountId))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "Slack is not connected");
  return view(row);
}

/**
 * Forgets the workspace: the token is revoked at Slack (when it still works)
 * and the connection, its threads and support channels are deleted. Slack's
 * messages stay in Slack; conversations stay in Netia.
 */
export async function disconnectSlack(deps: Deps, accountId: string): Promise<void> {
  const connection = await connectionOfAccount(deps.db, accountId);
  if (!connection) return;
  if (connection.status === "active") {
    try {
      await connectionClient(deps.config, connection).auth.revoke({});
    } catch (error) {
      deps.logger?.warn(
        { err: error, accountId },
        "slack token revoke failed; forgetting it anyway",
      );
    }
  }
  await deps.db.delete(slackConnections).where(eq(slackConnections.id, connection.id));
  forgetSlackFollows(accountId);
}

export type FailedSlackPost = {
  conversationId: string;
  customer: string;
  channelId: string;
  lastError: string;
  failedAt: Date;
};

/** Threads whose last post failed, newest first: the settings page lists them. */
export async function failedSlackPosts(
  db: Db,
  accountId: string,
  limit = 50,
): Promise<FailedSlackPost[]> {
  const rows = await db
    .select({
      conversationId: slackThreads.conversationId,
      channelId: slackThreads.channelId,
      lastError: slackThreads.lastError,
      failedAt: slackThreads.failedAt,
      customerName: customers.name,
      customerEmail: customers.email,
    })
    .from(slackThreads)
    .innerJoin(conversations, eq(conversations.id, slackThreads.conversationId))
    .innerJoin(customers, eq(customers.id, conversations.customerId))
    .where(and(eq(slackThreads.accountId, accountId), isNotNull(slackThreads.failedAt)))
    .orderBy(desc(slackThreads.failedAt))
    .limit(limit);
  return rows.map((r) => ({
    conversationId: r.conversationId,
    customer: r.customerName ?? r.customerEmail ?? "Visitor",
    channelId: r.channelId,
    lastError: r.lastError ?? "failed",
    failedAt: r.failedAt as Date,
  }));
}

/**
 * The account's threads with something left to post (a failure, or messages
 * past the mark): after a reconnect or a retry they are synced again.
 */
export async function threadsToResync(db: Db, accountId: string, limit = 500): Promise<string[]> {
  const rows = await db
    .select({ conversationId: slackThreads.conversationId })
    .from(slackThreads)
    .where(
      and(
        eq(slackThreads.accountId, accountId),
        sql`(${slackThreads.failedAt} is not null or exists (
          select 1 from ${messages} m where m.conversation_id = ${slackThreads.conversationId}
            and m.seq > ${slackThreads.postedThroughSeq}))`,
      ),
    )
    .limit(limit);
  return rows.map((r) => r.conversationId);
}

/** A thread of the account (NOT_FOUND otherwise), before it is sent again. */
export async function assertSlackThread(db: Db, accountId: string, conversationId: string) {
  const [row] = await db
    .select({ id: slackThreads.conversationId })
    .from(slackThreads)
    .where(
      and(eq(slackThreads.accountId, accountId), eq(slackThreads.conversationId, conversationId)),
    )
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "This conversation has no Slack thread");
}
