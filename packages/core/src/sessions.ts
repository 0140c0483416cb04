// Who is calling: an agent (session cookie) or a widget visitor (bearer token).
import type { ApiKeyScope, Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Auth } from "./auth";
import { hashToken } from "./tokens";

export type AgentSession = {
  /** The better-auth session the cookie names: logging out or revoking it ends this authority. */
  sessionId: string;
  userId: string;
  accountId: string;
  role: "admin" | "agent";
  name: string;
  email: string;
  /** Present when an API key authenticated the call: what the key may do (api-keys.ts). */
  apiKey?: ApiKeyGrant;
};

/** What an API key grants its caller, within its owner's authority. */
export type ApiKeyGrant = { id: string; scopes: ApiKeyScope[] };

/** The cookie's session, if it is valid and its user is an enabled member of an account. */
export async function getAgentSession(
  db: Db,
  auth: Auth,
  headers: Headers,
): Promise<AgentSession | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const current = await readAgentSessions(db, [session.session.id]);
  return current.get(session.session.id) ?? null;
}

/**
 * The current authority of sessions already known by id (open websockets
 * re-check theirs): a session that expired, was deleted (logout, revoke,
 * disabled member) or whose user has no enabled membership is absent.
 */
export async function readAgentSessions(
  db: Db,
  sessionIds: readonly string[],
): Promise<Map<string, AgentSession>> {
  const found = new Map<string, AgentSession>();
  if (sessionIds.length === 0) return found;
  const { sessions, users, memberships } = schema;
  const rows = await db
    .select({
      sessionId: sessions.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      accountId: memberships.accountId,
      role: memberships.role,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(memberships, eq(memberships.userId, sessions.userId))
    .where(
      and(
        inArray(sessions.id, [...sessionIds]),
        gt(sessions.expiresAt, new Date()),
        isNull(memberships.disabledAt),
      ),
    );
  for (const row of rows) found.set(row.sessionId, row);
  return found;
}

export type WidgetSession = {
  sessionId: string;
  accountId: string;
  inboxId: string;
  customerId: string;
  verified: boolean;
};

/** Widget tokens are 43 characters; anything far off is rejected before a lookup. */
const MAX_TOKEN_LENGTH = 128;

export async function getWidgetSession(db: Db, token: string): Promise<WidgetSession | null> {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const [row] = await db
    .select()
    .from(schema.widgetSessions)
    .where(
      and(
        eq(schema.widgetSessions.tokenHash, hashToken(token)),
        gt(schema.widgetSessions.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!row) return null;
  return {
    sessionId: row.id,
    accountId: row.accountId,
    inboxId: row.inboxId,
    customerId: row.customerId,
    verified: row.verified,
  };
}
