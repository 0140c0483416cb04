// Who is calling: an agent (session cookie) or a widget visitor (bearer token).
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { and, eq, gt } from "drizzle-orm";
import type { Auth } from "./auth";
import { hashToken } from "./tokens";

export type AgentSession = {
  userId: string;
  accountId: string;
  role: "admin" | "agent";
  name: string;
  email: string;
};

export async function getAgentSession(
  db: Db,
  auth: Auth,
  headers: Headers,
): Promise<AgentSession | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const [membership] = await db
    .select()
    .from(schema.memberships)
    .where(eq(schema.memberships.userId, session.user.id))
    .limit(1);
  if (!membership || membership.disabledAt) return null;
  return {
    userId: session.user.id,
    accountId: membership.accountId,
    role: membership.role,
    name: session.user.name,
    email: session.user.email,
  };
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
