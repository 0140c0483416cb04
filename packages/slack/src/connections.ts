// The Slack workspace an account installed Netia's app into, and Slack's own
// client (@slack/web-api) for it. The bot token is encrypted at rest under a
// key of its own (packages/core/src/token-crypto.ts). When Slack refuses the
// token (app uninstalled, token revoked), the connection is marked
// reconnect_required: nothing is posted or imported until an admin connects
// the workspace again.
import type { Config } from "@netia/config";
import { tokenCipher } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";

const { slackConnections } = schema;

export type SlackSettings = NonNullable<Config["slack"]>;
export type SlackConnection = typeof slackConnections.$inferSelect;

export const slackTokens = tokenCipher("netia:slack-bot-tokens");

/**
 * Slack's client for one bot token. It never waits out a 429 or retries by
 * itself: the durable job that made the call retries it after Retry-After,
 * so a crash meanwhile loses nothing and the thread's order is kept.
 */
export function slackWebClient(slack: SlackSettings, token?: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** The client of a connection, with its token decrypted. */
export function connectionClient(config: Config, connection: SlackConnection): WebClient {
  if (!config.slack) throw new Error("Slack is not configured (SLACK_CLIENT_ID is not set)");
  return slackWebClient(
    config.slack,
    slackTokens.decrypt(config.secretKeyBase, connection.botTokenEncrypted),
  );
}

export async function connectionOfAccount(
  db: Db,
  accountId: string,
): Promise<SlackConnection | null> {
  const [row] = await db
    .select()
    .from(slackConnections)
    .where(eq(slackConnections.accountId, accountId))
    .limit(1);
  return row ?? null;
}

/** The connection of the workspace an event or interaction came from. */
export async function connectionOfTeam(db: Db, teamId: string): Promise<SlackConnection | null> {
  const [row] = await db
    .select()
    .from(slackConnections)
    .where(eq(slackConnections.teamId, teamId))
    .limit(1);
  return row ?? null;
}

export async function markReconnectRequired(
  db: Db,
  connectionId: string,
  reason: string,
): Promise<void> {
  await db
    .update(slackConnections)
    .set({ status: "reconnect_required", lastError: reason.slice(0, 500), updatedAt: new Date() })
    .where(eq(slackConnections.id, connectionId));
}
