// API keys let a server or script act as one member of an account. The secret
// is shown once at creation and stored as its SHA-256; its visible prefix finds
// the row, then the hashes are compared in constant time. A key is checked
// against the database on every HTTP call, and a websocket opened with one is
// registered under its pseudo-session id (`apiKeySessionId`) so that revoking
// the key closes it on every node (packages/api/src/authority.ts).
import { randomBytes } from "node:crypto";
import type { ApiKeyScope, Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, desc, eq, gt, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import { announceAuthorityChange } from "./authority";
import { AppError, notFound } from "./errors";
import type { WriteDeps } from "./events";
import { type AgentSession, type ApiKeyGrant, readAgentSessions } from "./sessions";
import { hashToken, safeEqualHex } from "./tokens";

export type { ApiKeyScope } from "@netia/db";

export const API_KEY_SCOPES = ["read", "write", "admin"] as const satisfies readonly ApiKeyScope[];

/** Every key starts with this, so a bearer token is told apart from a widget token at a glance. */
export const API_KEY_MARK = "netia_live_";
/** "netia_live_" + 8 hex characters: what lists show and lookups use. */
const PREFIX_LENGTH = API_KEY_MARK.length + 8;
/** Far longer than any key: anything bigger is refused before hashing. */
const MAX_KEY_LENGTH = 128;
/** lastUsedAt is written at most this often per key (one write per minute, not per call). */
const LAST_USED_RESOLUTION_MS = 60_000;

/** A key as lists show it: never its secret. */
export type ApiKeySummary = {
  id: string;
  userId: string;
  ownerName: string;
  label: string;
  prefix: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};

const KEY_SESSION = "key:";

/** The pseudo-session id under which a key's websockets are registered and re-checked. */
export function apiKeySessionId(keyId: string): string {
  return `${KEY_SESSION}${keyId}`;
}

/** Whether a bearer token is (shaped like) an API key rather than a widget token. */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_MARK);
}

/** Whether `grant` allows a call that needs `scope`; admin also needs the owner to be an admin. */
export function keyAllows(
  agent: Pick<AgentSession, "role">,
  grant: ApiKeyGrant,
  scope: ApiKeyScope,
): boolean {
  if (!grant.scopes.includes(scope)) return false;
  return scope !== "admin" || agent.role === "admin";
}

/**
 * Creates a key owned by the caller. Returns the secret, which is never
 * readable again. Only an admin may create a key with the admin scope.
 */
export async function createApiKey(
  db: Db,
  input: {
    accountId: string;
    userId: string;
    role: AgentSession["role"];
    label: string;
    scopes: ApiKeyScope[];
    expiresAt?: Date | null;
  },
): Promise<{ key: ApiKeySummary; secret: string }> {
  if (input.scopes.includes("admin") && input.role !== "admin") {
    throw new AppError("FORBIDDEN", "Only an admin can create a key with the admin scope");
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new AppError("BAD_REQUEST", "The expiry date must be in the future");
  }
  const scopes = API_KEY_SCOPES.filter((s) => input.scopes.includes(s));
  // A prefix clash (32 random bits) is rare; another draw settles it.
  for (let attempt = 0; ; attempt++) {
    const secret = `${API_KEY_MARK}${randomBytes(4).toString("hex")}_${randomBytes(32).toString("base64url")}`;
    const [row] = await db
      .insert(schema.apiKeys)
      .values({
        accountId: input.accountId,
        userId: input.userId,
        label: input.label,
        prefix: secret.slice(0, PREFIX_LENGTH),
        secretHash: hashToken(secret),
        scopes,
        expiresAt: input.expiresAt ?? null,
      })
      .onConflictDoNothing({ target: schema.apiKeys.prefix })
      .returning({ id: schema.apiKeys.id });
    if (row) {
      const [key] = await listApiKeys(db, { accountId: input.accountId, keyId: row.id });
      if (!key) throw new Error("the key just created is missing");
      return { key, secret };
    }
    if (attempt >= 3) throw new Error("could not draw an unused API key prefix");
  }
}

/** The account's keys, newest first; only `userId`'s when given (an agent sees their own). */
export async function listApiKeys(
  db: Db,
  input: { accountId: string; userId?: string; keyId?: string },
): Promise<ApiKeySummary[]> {
  const { apiKeys, users } = schema;
  return db
    .select({
      id: apiKeys.id,
      userId: apiKeys.userId,
      ownerName: users.name,
      label: apiKeys.label,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdAt: apiKeys.createdAt,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(
      and(
        eq(apiKeys.accountId, input.accountId),
        input.userId ? eq(apiKeys.userId, input.userId) : undefined,
        input.keyId ? eq(apiKeys.id, input.keyId) : undefined,
      ),
    )
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/**
 * Revokes a key of the account (only the caller's own unless `asAdmin`). It is
 * refused from the next call on, and its open websockets close on every node.
 */
export async function revokeApiKey(
  deps: WriteDeps,
  input: { accountId: string; userId: string; asAdmin: boolean; id: string },
): Promise<void> {
  const { apiKeys } = schema;
  const [row] = await deps.db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(apiKeys.id, input.id),
        eq(apiKeys.accountId, input.accountId),
        input.asAdmin ? undefined : eq(apiKeys.userId, input.userId),
        isNull(apiKeys.revokedAt),
      ),
    )
    .returning({ id: apiKeys.id });
  if (!row) {
    // Revoking twice is not an error; revoking someone else's key (or none) is.
    const [own] = await listApiKeys(deps.db, {
      accountId: input.accountId,
      keyId: input.id,
      userId: input.asAdmin ? undefined : input.userId,
    });
    if (!own) throw notFound("API key");
    return;
  }
  announceAuthorityChange(deps, { sessionId: apiKeySessionId(row.id) });
}

/**
 * The authority a presented key grants: its owner's as it is now (enabled
 * member, current role) plus the key's scopes; null for an unknown, revoked or
 * expired key. Marks the key used (at most once a minute).
 */
export async function authenticateApiKey(
  db: Db,
  secret: string,
): Promise<(AgentSession & { apiKey: ApiKeyGrant }) | null> {
  if (!looksLikeApiKey(secret) || secret.length > MAX_KEY_LENGTH) return null;
  const [found] = await readKeys(db, eq(schema.apiKeys.prefix, secret.slice(0, PREFIX_LENGTH)));
  if (!found || !safeEqualHex(found.secretHash, hashToken(secret))) return null;
  const now = new Date();
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    const { apiKeys } = schema;
    const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    // Conditional, so nodes racing on the same key write once.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.id, found.session.apiKey.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore)),
        ),
      );
  }
  return found.session;
}

/**
 * The current authority of open connections by the session id each was opened
 * with: a cookie session's id, or a key's `apiKeySessionId`. An ended session,
 * a revoked or expired key, or an owner no longer an enabled member is absent.
 */
export async function readConnectionAuthorities(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, AgentSession>> {
  const keyIds = ids
    .filter((id) => id.startsWith(KEY_SESSION))
    .map((id) => id.slice(KEY_SESSION.length));
  const found = await readAgentSessions(
    db,
    ids.filter((id) => !id.startsWith(KEY_SESSION)),
  );
  if (keyIds.length === 0) return found;
  for (const { session } of await readKeys(db, inArray(schema.apiKeys.id, keyIds))) {
    found.set(session.sessionId, session);
  }
  return found;
}

async function readKeys(db: Db, which: SQL) {
  const { apiKeys, users, memberships } = schema;
  const rows = await db
    .select({
      id: apiKeys.id,
      secretHash: apiKeys.secretHash,
      scopes: apiKeys.scopes,
      lastUsedAt: apiKeys.lastUsedAt,
      userId: users.id,
      name: users.name,
      email: users.email,
      accountId: memberships.accountId,
      role: memberships.role,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .innerJoin(
      memberships,
      and(eq(memberships.userId, apiKeys.userId), eq(memberships.accountId, apiKeys.accountId)),
    )
    .where(
      and(
        which,
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
        isNull(memberships.disabledAt),
      ),
    );
  return rows.map((row) => ({
    secretHash: row.secretHash,
    lastUsedAt: row.lastUsedAt,
    session: {
      sessionId: apiKeySessionId(row.id),
      userId: row.userId,
      accountId: row.accountId,
      role: row.role,
      name: row.name,
      email: row.email,
      apiKey: { id: row.id, scopes: row.scopes },
    },
  }));
}
