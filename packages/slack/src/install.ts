// Installing Netia's app into a workspace: Slack's consent screen redirects
// back with a code, which oauth.v2.access exchanges for the workspace's bot
// token. The connection is stored (one per account) with the token encrypted.
// Installing again (after "Reconnect needed", or into another workspace)
// replaces the token and makes the connection active again; the channel an
// admin picked is kept while the workspace is the same.
import type { Config } from "@netia/config";
import { AppError, forgetSlackFollows } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { sql } from "drizzle-orm";
import { type SlackConnection, slackTokens, slackWebClient } from "./connections";

const { slackConnections } = schema;

/** What the bot needs: post and update its messages, read and join channels, read users, hear threads. */
export const SLACK_BOT_SCOPES = [
  "chat:write",
  "chat:write.customize",
  "channels:read",
  "groups:read",
  "channels:history",
  "groups:history",
  "users:read",
  "users:read.email",
  // Joins the public channel an admin picks (else they invite the app by hand).
  "channels:join",
] as const;

export async function completeSlackInstall(
  deps: { db: Db; config: Config },
  input: { accountId: string; userId: string | null; code: string; redirectUri?: string },
): Promise<SlackConnection> {
  const { db, config } = deps;
  const slack = config.slack;
  if (!slack) throw new AppError("NOT_FOUND", "Slack is not configured on this server");
  let access: Awaited<ReturnType<ReturnType<typeof slackWebClient>["oauth"]["v2"]["access"]>>;
  try {
    access = await slackWebClient(slack).oauth.v2.access({
      client_id: slack.clientId,
      client_secret: slack.clientSecret,
      code: input.code,
      ...(input.redirectUri && { redirect_uri: input.redirectUri }),
    });
  } catch (error) {
    throw new AppError(
      "BAD_REQUEST",
      `Slack refused the installation (${(error as Error).message}); start again`,
    );
  }
  const token = access.access_token;
  const teamId = access.team?.id;
  const botUserId = access.bot_user_id;
  if (!token || !teamId || !botUserId) {
    throw new AppError("BAD_REQUEST", "Slack's answer has no bot token; start again");
  }
  const values = {
    accountId: input.accountId,
    teamId,
    teamName: access.team?.name ?? teamId,
    botUserId,
    botTokenEncrypted: slackTokens.encrypt(config.secretKeyBase, token),
    scope: access.scope ?? null,
    status: "active" as const,
    lastError: null,
    connectedById: input.userId,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(slackConnections)
    .values(values)
    .onConflictDoUpdate({
      target: slackConnections.accountId,
      set: {
        ...values,
        // Another workspace's channel means nothing here: pick again.
        channelId: sql`case when ${slackConnections.teamId} = ${teamId} then ${slackConnections.channelId} end`,
        channelName: sql`case when ${slackConnections.teamId} = ${teamId} then ${slackConnections.channelName} end`,
      },
    })
    .returning();
  if (!row) throw new Error("slack install: the connection was not stored");
  // This node's writes follow the workspace at once (others within seconds).
  forgetSlackFollows(input.accountId);
  return row;
}
