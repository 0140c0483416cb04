// The two ends of installing Slack over plain HTTP redirects. Install
// (/api/integrations/slack/install) sends a signed-in admin to Slack's consent
// screen; the callback (/api/integrations/slack/callback) is where Slack sends
// them back with a code. The route handlers stay thin: they hand the request's
// URL and headers here and redirect where this says. The signed-in admin must
// be the one who started (the state says who). After a reconnect, threads left
// behind while the token was refused are synced again.
import { AppError, enqueueSlackSync, isAppError } from "@netia/core";
import { type Db, schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import {
  completeSlackInstall,
  slackInstallUrl,
  slackRedirectUri,
  threadsToResync,
  verifySlackState,
} from "@netia/slack";
import { and, eq, isNull } from "drizzle-orm";
import { adminStartingConnection, readOAuthCallback, settingsUrl } from "./integration-redirects";

export const SLACK_SETTINGS_PATH = "/settings/integrations/slack";

export async function handleSlackInstall(
  rt: Runtime,
  request: { url: string; headers: Headers },
): Promise<{ redirect: string }> {
  const admin = await adminStartingConnection(rt, request.headers, SLACK_SETTINGS_PATH, "Slack");
  if ("redirect" in admin) return admin;
  const { agent } = admin;
  try {
    return { redirect: slackInstallUrl(rt.config, agent) };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { redirect: settingsUrl(rt, SLACK_SETTINGS_PATH, { error: error.message }) };
  }
}

async function assertAdmin(db: Db, accountId: string, userId: string): Promise<void> {
  const [member] = await db
    .select({ role: schema.memberships.role })
    .from(schema.memberships)
    .where(
      and(
        eq(schema.memberships.accountId, accountId),
        eq(schema.memberships.userId, userId),
        isNull(schema.memberships.disabledAt),
      ),
    )
    .limit(1);
  if (member?.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can connect Slack");
}

export async function handleSlackCallback(
  rt: Runtime,
  request: { url: string; headers: Headers },
): Promise<{ redirect: string }> {
  const callback = await readOAuthCallback(rt, request, SLACK_SETTINGS_PATH, "Slack");
  if ("redirect" in callback) return callback;
  const { agent, code, state: stateValue } = callback;
  try {
    const state = verifySlackState(rt.config.secretKeyBase, stateValue);
    if (state.userId !== agent.userId || state.accountId !== agent.accountId) {
      throw new AppError("FORBIDDEN", "This Slack install was started by someone else");
    }
    await assertAdmin(rt.db, state.accountId, agent.userId);
    const connection = await completeSlackInstall(
      { db: rt.db, config: rt.config },
      {
        accountId: state.accountId,
        userId: agent.userId,
        code,
        redirectUri: slackRedirectUri(rt.config),
      },
    );
    // What waited while the token was refused goes out now.
    for (const conversationId of await threadsToResync(rt.db, state.accountId)) {
      await enqueueSlackSync(rt.jobs, rt.db, { accountId: state.accountId, conversationId });
    }
    return { redirect: settingsUrl(rt, SLACK_SETTINGS_PATH, { connected: connection.teamName }) };
  } catch (error) {
    if (!isAppError(error)) {
      rt.logger.error({ err: error }, "slack install failed");
      return {
        redirect: settingsUrl(rt, SLACK_SETTINGS_PATH, {
          error: "Connecting Slack failed; try again",
        }),
      };
    }
    return { redirect: settingsUrl(rt, SLACK_SETTINGS_PATH, { error: error.message }) };
  }
}
