// The link that starts an install: Slack's consent screen (oauth/v2/authorize,
// beside the Web API's URL, so tests reach the fake's) with the bot scopes, the
// callback as redirect URL, and a `state` naming the account, the admin and an
// expiry, signed (HMAC under its own label, key from SECRET_KEY_BASE) so the
// callback can trust it.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "@netia/config";
import { AppError } from "@netia/core";
import { z } from "zod";
import { SLACK_BOT_SCOPES } from "./install";

export const SLACK_CALLBACK_PATH = "/api/integrations/slack/callback";

/** How long an admin has to finish Slack's consent screen. */
const STATE_TTL_MS = 15 * 60 * 1000;

const ZState = z.object({
  accountId: z.uuid(),
  userId: z.string().min(1),
  expiresAt: z.number().int(),
});
export type SlackInstallState = z.infer<typeof ZState>;

export function slackRedirectUri(config: Pick<Config, "appUrl">): string {
  return new URL(SLACK_CALLBACK_PATH, config.appUrl).toString();
}

function stateMac(secretKeyBase: string, payload: string): Buffer {
  const key = createHmac("sha256", secretKeyBase).update("netia:slack-oauth-state").digest();
  return createHmac("sha256", key).update(payload).digest();
}

export function signSlackState(secretKeyBase: string, state: SlackInstallState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString("base64url");
  return `${payload}.${stateMac(secretKeyBase, payload).toString("base64url")}`;
}

/** The state the callback was given, when it is ours, unaltered and unexpired. */
export function verifySlackState(
  secretKeyBase: string,
  value: string,
  now = Date.now(),
): SlackInstallState {
  const invalid = () =>
    new AppError("BAD_REQUEST", "The Slack install link is invalid; start again");
  const [payload, mac] = value.split(".");
  if (!payload || !mac) throw invalid();
  const given = Buffer.from(mac, "base64url");
  const expected = stateMac(secretKeyBase, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: SlackInstallState;
  try {
    parsed = ZState.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    throw invalid();
  }
  if (parsed.expiresAt < now) {
    throw new AppError("BAD_REQUEST", "The Slack install took too long; start again");
  }
  return parsed;
}

/** Slack's consent screen for installing the app into a workspace (admins only: the caller checks). */
export function slackInstallUrl(
  config: Config,
  input: { accountId: string; userId: string },
): string {
  const slack = config.slack;
  if (!slack)
    throw new AppError("BAD_REQUEST", "Slack is not set up on this server (SLACK_CLIENT_ID)");
  const url = new URL("../oauth/v2/authorize", slack.apiUrl);
  url.searchParams.set("client_id", slack.clientId);
  url.searchParams.set("scope", SLACK_BOT_SCOPES.join(","));
  url.searchParams.set("redirect_uri", slackRedirectUri(config));
  url.searchParams.set(
    "state",
    signSlackState(config.secretKeyBase, { ...input, expiresAt: Date.now() + STATE_TTL_MS }),
  );
  return url.toString();
}
