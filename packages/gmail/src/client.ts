// The Gmail client of one connection: Google's generated client
// (@googleapis/gmail) over google-auth-library's OAuth2Client, pointed at
// config.google.apiUrl / oauthUrl when set (tests and benchmarks use a local
// fake that speaks the same protocol). The access token is refreshed by the
// library when it has expired; every new one is stored encrypted again. When
// Google refuses the tokens, the connection is marked reconnect_required and
// GmailReconnectRequired is thrown: nothing syncs or sends until an admin
// connects the mailbox again.
import { type gmail_v1, gmail as gmailClient } from "@googleapis/gmail";
import type { Config } from "@netia/config";
import type { Logger } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { eq } from "drizzle-orm";
import { OAuth2Client } from "google-auth-library";
import { decryptToken, encryptToken } from "./crypto";
import {
  describeError,
  GmailReconnectRequired,
  isAuthFailure,
  type RetryOptions,
  withRetries,
} from "./errors";

const { gmailConnections } = schema;

export type GoogleSettings = NonNullable<Config["google"]>;
export type GmailConnection = typeof gmailConnections.$inferSelect;

export type GmailDeps = {
  db: Db;
  config: Config;
  logger?: Logger;
  /** How Google calls are retried (tests shorten the pauses). */
  retry?: RetryOptions;
};

export function googleSettings(config: Config): GoogleSettings {
  if (!config.google) {
    throw new Error("Gmail is not set up: set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET");
  }
  return config.google;
}

/** Google's OAuth client, with its endpoints under GOOGLE_OAUTH_URL when that is set. */
export function oauthClient(google: GoogleSettings, redirectUri?: string): OAuth2Client {
  const base = google.oauthUrl?.replace(/\/+$/, "");
  return new OAuth2Client({
    clientId: google.clientId,
    clientSecret: google.clientSecret,
    // A 401 with a token that should still be good (revoked early, clock skew)
    // gets one refresh and retry before the connection is given up on.
    forceRefreshOnFailure: true,
    ...(redirectUri && { redirectUri }),
    ...(base && {
      endpoints: {
        oauth2TokenUrl: `${base}/token`,
        oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
        oauth2RevokeUrl: `${base}/revoke`,
      },
    }),
  });
}

/** The generated Gmail client on `auth`; retries are Netia's (withRetries), not the library's. */
export function gmailApi(google: GoogleSettings, auth: OAuth2Client): gmail_v1.Gmail {
  return gmailClient({
    version: "v1",
    auth,
    retry: false,
    ...(google.apiUrl && { rootUrl: google.apiUrl }),
  });
}

export async function markReconnectRequired(
  db: Db,
  connectionId: string,
  reason: string,
): Promise<void> {
  await db
    .update(gmailConnections)
    .set({ status: "reconnect_required", lastError: reason.slice(0, 500), updatedAt: new Date() })
    .where(eq(gmailConnections.id, connectionId));
}

export type ConnectedGmail = {
  connection: GmailConnection;
  api: gmail_v1.Gmail;
  /**
   * Runs one Google call with retries on rate limits and server errors; a
   * refused token marks the connection and throws GmailReconnectRequired.
   */
  call<T>(fn: (api: gmail_v1.Gmail) => Promise<T>): Promise<T>;
};

/** The client of an active connection; throws GmailReconnectRequired for any other. */
export function connectedGmail(deps: GmailDeps, connection: GmailConnection): ConnectedGmail {
  const google = googleSettings(deps.config);
  if (connection.status !== "active") {
    throw new GmailReconnectRequired(connection.id, connection.lastError ?? "not active");
  }
  const key = deps.config.secretKeyBase;
  const auth = oauthClient(google);
  auth.setCredentials({
    refresh_token: decryptToken(key, connection.refreshTokenEncrypted),
    ...(connection.accessTokenEncrypted && {
      access_token: decryptToken(key, connection.accessTokenEncrypted),
      expiry_date: connection.accessTokenExpiresAt?.getTime() ?? 0,
    }),
  });
  // A refreshed access token is kept (encrypted) so the next run needs no refresh.
  let saving: Promise<unknown> = Promise.resolve();
  auth.on("tokens", (tokens) => {
    if (!tokens.access_token) return;
    saving = deps.db
      .update(gmailConnections)
      .set({
        accessTokenEncrypted: encryptToken(key, tokens.access_token),
        accessTokenExpiresAt: tokens.expiry_date ? new Date(tokens.expiry_date) : null,
        ...(tokens.refresh_token && {
          refreshTokenEncrypted: encryptToken(key, tokens.refresh_token),
        }),
        updatedAt: new Date(),
      })
      .where(eq(gmailConnections.id, connection.id))
      .catch((err) => deps.logger?.warn({ err }, "could not store a refreshed Gmail token"));
  });
  const api = gmailApi(google, auth);
  return {
    connection,
    api,
    async call(fn) {
      try {
        return await withRetries(() => fn(api), deps.retry);
      } catch (error) {
        if (isAuthFailure(error)) {
          const reason = describeError(error);
          await markReconnectRequired(deps.db, connection.id, reason);
          throw new GmailReconnectRequired(connection.id, reason);
        }
        throw error;
      } finally {
        await saving;
      }
    },
  };
}

export async function loadConnection(
  db: Db,
  connectionId: string,
): Promise<GmailConnection | null> {
  const [row] = await db
    .select()
    .from(gmailConnections)
    .where(eq(gmailConnections.id, connectionId))
    .limit(1);
  return row ?? null;
}
