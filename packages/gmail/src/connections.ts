// The connected mailboxes of an account, as the settings page shows them, and
// disconnecting one (its tokens are revoked at Google, best effort, and the
// row goes with its thread map; the conversations stay).
import type { Config } from "@netia/config";
import { AppError, type Logger } from "@netia/core";
import { type Db, schema } from "@netia/db";
import { and, asc, eq } from "drizzle-orm";
import { googleSettings, oauthClient } from "./client";
import { decryptToken } from "./crypto";

const { gmailConnections, inboxes } = schema;

export type GmailConnectionSummary = {
  id: string;
  emailAddress: string;
  inboxId: string;
  inboxName: string;
  status: "active" | "reconnect_required";
  lastError: string | null;
  lastSyncedAt: Date | null;
  createdAt: Date;
};

export async function listGmailConnections(
  db: Db,
  accountId: string,
): Promise<GmailConnectionSummary[]> {
  return db
    .select({
      id: gmailConnections.id,
      emailAddress: gmailConnections.emailAddress,
      inboxId: gmailConnections.inboxId,
      inboxName: inboxes.name,
      status: gmailConnections.status,
      lastError: gmailConnections.lastError,
      lastSyncedAt: gmailConnections.lastSyncedAt,
      createdAt: gmailConnections.createdAt,
    })
    .from(gmailConnections)
    .innerJoin(inboxes, eq(inboxes.id, gmailConnections.inboxId))
    .where(eq(gmailConnections.accountId, accountId))
    .orderBy(asc(gmailConnections.createdAt));
}

/** The ids of every active connection, for the sync sweep. */
export async function activeGmailConnectionIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: gmailConnections.id })
    .from(gmailConnections)
    .where(eq(gmailConnections.status, "active"));
  return rows.map((r) => r.id);
}

export async function disconnectGmail(
  deps: { db: Db; config: Config; logger?: Logger },
  input: { accountId: string; connectionId: string },
): Promise<void> {
  const [row] = await deps.db
    .delete(gmailConnections)
    .where(
      and(
        eq(gmailConnections.id, input.connectionId),
        eq(gmailConnections.accountId, input.accountId),
      ),
    )
    .returning({ refreshTokenEncrypted: gmailConnections.refreshTokenEncrypted });
  if (!row) throw new AppError("NOT_FOUND", "Gmail connection not found");
  if (!deps.config.google) return;
  try {
    const token = decryptToken(deps.config.secretKeyBase, row.refreshTokenEncrypted);
    await oauthClient(googleSettings(deps.config)).revokeToken(token);
  } catch (err) {
    // Google may already have revoked it; the row is gone either way.
    deps.logger?.info({ err }, "gmail token not revoked at Google");
  }
}

/** A sync that failed for good (its retries ran out): the settings page shows why. */
export async function recordSyncFailure(db: Db, connectionId: string, reason: string) {
  await db
    .update(gmailConnections)
    .set({ lastError: reason.slice(0, 500), updatedAt: new Date() })
    .where(eq(gmailConnections.id, connectionId));
}
