// Connecting a mailbox: an admin is sent to Google's consent screen with a
// `state` that names their account, the inbox they chose, themselves and an
// expiry, signed (HMAC, key derived from SECRET_KEY_BASE under its own label)
// so the callback can trust it; the callback exchanges the code for tokens,
// asks Gmail whose mailbox it is, and stores the connection with its tokens
// encrypted. Connecting a mailbox again (after "Reconnect needed") updates the
// same row and keeps its history id, so the sync backfills what it missed.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "@netia/config";
import { AppError } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, eq, isNull } from "drizzle-orm";
import type { Credentials } from "google-auth-library";
import { z } from "zod";
import { gmailApi, googleSettings, oauthClient } from "./client";
import { encryptToken } from "./crypto";
import { describeError } from "./errors";

const { gmailConnections, inboxes, memberships } = schema;

/** Read, compose and send mail, and change labels; never delete for good. */
export const GMAIL_SCOPE = "https://www.googleapis.com/auth/gmail.modify";

/** How long an admin has to finish Google's consent screen. */
const STATE_TTL_MS = 15 * 60 * 1000;

export const CALLBACK_PATH = "/api/integrations/gmail/callback";

export function redirectUri(config: Pick<Config, "appUrl">): string {
  return new URL(CALLBACK_PATH, config.appUrl).toString();
}

const ZState = z.object({
  accountId: z.uuid(),
  userId: z.string().min(1),
  inboxId: z.uuid(),
  expiresAt: z.number().int(),
});
export type ConnectState = z.infer<typeof ZState>;

function stateMac(secretKeyBase: string, payload: string): Buffer {
  const key = createHmac("sha256", secretKeyBase).update("netia:gmail-oauth-state").digest();
  return createHmac("sha256", key).update(payload).digest();
}

export function signState(secretKeyBase: string, state: ConnectState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString("base64url");
  return `${payload}.${stateMac(secretKeyBase, payload).toString("base64url")}`;
}

/** The state the callback was given, when it is ours, unaltered and unexpired. */
export function verifyState(secretKeyBase: string, value: string, now = Date.now()): ConnectState {
  const [payload, mac] = value.split(".");
  const invalid = () =>
    new AppError("BAD_REQUEST", "The Google sign-in link is invalid; start again");
  if (!payload || !mac) throw invalid();
  const given = Buffer.from(mac, "base64url");
  const expected = stateMac(secretKeyBase, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: ConnectState;
  try {
    parsed = ZState.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
  } catch {
    throw invalid();
  }
  if (parsed.expiresAt < now) {
    throw new AppError("BAD_REQUEST", "The Google sign-in took too long; start again");
  }
  return parsed;
}

async function assertInboxOf(db: Db, accountId: string, inboxId: string): Promise<void> {
  const [inbox] = await db
    .select({ id: inboxes.id })
    .from(inboxes)
    .where(and(eq(inboxes.id, inboxId), eq(inboxes.accountId, accountId)))
    .limit(1);
  if (!inbox) throw new AppError("NOT_FOUND", "Inbox not found");
}

/** Google's consent screen for connecting a mailbox to `inboxId` (admins only: the caller checks). */
export async function gmailAuthUrl(
  deps: { db: Db; config: Config },
  input: { accountId: string; userId: string; inboxId: string; loginHint?: string },
): Promise<string> {
  const google = deps.config.google;
  if (!google) {
    throw new AppError("BAD_REQUEST", "Gmail is not set up on this server (GOOGLE_CLIENT_ID)");
  }
  await assertInboxOf(deps.db, input.accountId, input.inboxId);
  const state = signState(deps.config.secretKeyBase, {
    accountId: input.accountId,
    userId: input.userId,
    inboxId: input.inboxId,
    expiresAt: Date.now() + STATE_TTL_MS,
  });
  return oauthClient(google, redirectUri(deps.config)).generateAuthUrl({
    access_type: "offline",
    // Always ask: only a consent screen hands out a refresh token.
    prompt: "consent",
    scope: [GMAIL_SCOPE],
    state,
    ...(input.loginHint && { login_hint: input.loginHint }),
  });
}

/**
 * The callback's work: checks the state against the signed-in admin, trades the
 * code for tokens, reads the mailbox's address and stores the connection.
 */
export async function completeGmailConnection(
  deps: { db: Db; config: Config },
  input: { code: string; state: string; userId: string },
): Promise<{ connectionId: string; emailAddress: string; accountId: string }> {
  const google = googleSettings(deps.config);
  const state = verifyState(deps.config.secretKeyBase, input.state);
  if (state.userId !== input.userId) {
    throw new AppError("FORBIDDEN", "This Google sign-in was started by someone else");
  }
  const [member] = await deps.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.accountId, state.accountId),
        eq(memberships.userId, input.userId),
        isNull(memberships.disabledAt),
      ),
    )
    .limit(1);
  if (member?.role !== "admin") throw new AppError("FORBIDDEN", "Only admins can connect Gmail");
  await assertInboxOf(deps.db, state.accountId, state.inboxId);

  const auth = oauthClient(google, redirectUri(deps.config));
  let tokens: Credentials;
  try {
    ({ tokens } = await auth.getToken(input.code));
  } catch (error) {
    throw new AppError("BAD_REQUEST", `Google refused the sign-in: ${describeError(error)}`);
  }
  if (!tokens.access_token) throw new AppError("BAD_REQUEST", "Google returned no access token");
  auth.setCredentials(tokens);
  const profile = await gmailApi(google, auth).users.getProfile({ userId: "me" });
  const emailAddress = profile.data.emailAddress?.toLowerCase();
  if (!emailAddress) throw new AppError("BAD_REQUEST", "Google did not say which mailbox this is");

  const key = deps.config.secretKeyBase;
  const access = {
    accessTokenEncrypted: encryptToken(key, tokens.access_token),
    accessTokenExpiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
    scope: tokens.scope ?? GMAIL_SCOPE,
  };
  const refresh = tokens.refresh_token ? encryptToken(key, tokens.refresh_token) : null;
  const [existing] = await deps.db
    .select({ id: gmailConnections.id })
    .from(gmailConnections)
    .where(
      and(
        eq(gmailConnections.accountId, state.accountId),
        eq(gmailConnections.emailAddress, emailAddress),
      ),
    )
    .limit(1);
  if (!refresh && !existing) {
    throw new AppError(
      "BAD_REQUEST",
      "Google returned no refresh token: remove Netia from the Google account's third-party access and connect again",
    );
  }
  const [row] = await deps.db
    .insert(gmailConnections)
    .values({
      accountId: state.accountId,
      inboxId: state.inboxId,
      emailAddress,
      ...access,
      refreshTokenEncrypted: refresh ?? "",
      connectedById: input.userId,
    })
    .onConflictDoUpdate({
      target: [gmailConnections.accountId, gmailConnections.emailAddress],
      set: {
        ...access,
        ...(refresh && { refreshTokenEncrypted: refresh }),
        inboxId: state.inboxId,
        status: "active",
        lastError: null,
        connectedById: input.userId,
        updatedAt: new Date(),
      },
    })
    .returning({ id: gmailConnections.id });
  if (!row) throw new Error("gmail connection upsert returned nothing");
  return { connectionId: row.id, emailAddress, accountId: state.accountId };
}
