// The two ends of connecting a mailbox over plain HTTP redirects. Start
// (/api/integrations/gmail/start?inboxId=…) sends a signed-in admin to
// Google's consent screen; the callback (/api/integrations/gmail/callback) is
// where Google sends them back. The route handlers stay thin: they hand the
// request's URL and headers here and redirect where this says. The
// signed-in admin must be the one who started (the state says who), the
// connection is stored with its tokens encrypted, and its first sync is
// enqueued at once rather than at the next minute's sweep.
import { isAppError } from "@netia/core";
import { completeGmailConnection, gmailAuthUrl } from "@netia/gmail";
import type { Runtime } from "@netia/runtime";
import { adminStartingConnection, readOAuthCallback, settingsUrl } from "./integration-redirects";

export const GMAIL_SETTINGS_PATH = "/settings/integrations/gmail";

export async function handleGmailStart(
  rt: Runtime,
  request: { url: string; headers: Headers },
): Promise<{ redirect: string }> {
  const admin = await adminStartingConnection(rt, request.headers, GMAIL_SETTINGS_PATH, "Gmail");
  if ("redirect" in admin) return admin;
  const { agent } = admin;
  const inboxId = new URL(request.url).searchParams.get("inboxId") ?? "";
  if (!/^[0-9a-f-]{36}$/i.test(inboxId)) {
    return { redirect: settingsUrl(rt, GMAIL_SETTINGS_PATH, { error: "Choose an inbox first" }) };
  }
  try {
    const url = await gmailAuthUrl(
      { db: rt.db, config: rt.config },
      { accountId: agent.accountId, userId: agent.userId, inboxId },
    );
    return { redirect: url };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { redirect: settingsUrl(rt, GMAIL_SETTINGS_PATH, { error: error.message }) };
  }
}

export async function handleGmailCallback(
  rt: Runtime,
  request: { url: string; headers: Headers },
): Promise<{ redirect: string }> {
  const callback = await readOAuthCallback(rt, request, GMAIL_SETTINGS_PATH, "Google");
  if ("redirect" in callback) return callback;
  const { agent, code, state } = callback;
  try {
    const connected = await completeGmailConnection(
      { db: rt.db, config: rt.config },
      { code, state, userId: agent.userId },
    );
    await rt.jobs.enqueue(rt.db, "gmail.sync", { connectionId: connected.connectionId });
    return {
      redirect: settingsUrl(rt, GMAIL_SETTINGS_PATH, { connected: connected.emailAddress }),
    };
  } catch (error) {
    if (!isAppError(error)) {
      rt.logger.error({ err: error }, "gmail connection failed");
      return {
        redirect: settingsUrl(rt, GMAIL_SETTINGS_PATH, {
          error: "Connecting Gmail failed; try again",
        }),
      };
    }
    return { redirect: settingsUrl(rt, GMAIL_SETTINGS_PATH, { error: error.message }) };
  }
}
