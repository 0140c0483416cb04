// Who wrote in Slack: the person as Slack knows them (users.info), and the
// Netia agent they are — the active member of the account whose email is the
// one on their Slack profile. Slack's refusal of the token is told apart from
// trouble worth retrying.
import { type Db, schema } from "@netia/db";
import type { WebClient } from "@slack/web-api";
import { and, eq, isNull, sql } from "drizzle-orm";
import { classifySlackError } from "../errors";

const { users, memberships } = schema;

export type SlackPerson = {
  id: string;
  /** The person's own workspace: another organisation's for a Slack Connect guest. */
  teamId: string | null;
  /** What Slack shows: display name, else real name, else handle. */
  name: string;
  email: string | null;
  isBot: boolean;
};

export async function slackPerson(client: WebClient, userId: string): Promise<SlackPerson> {
  const { user } = await client.users.info({ user: userId });
  const profile = user?.profile;
  return {
    id: userId,
    teamId: user?.team_id ?? null,
    name: profile?.display_name || user?.real_name || user?.name || userId,
    email: profile?.email?.toLowerCase() ?? null,
    isBot: !!user?.is_bot,
  };
}

/** The active agent of the account with this email, if any. */
export async function agentByEmail(
  db: Db,
  accountId: string,
  email: string | null,
): Promise<{ id: string; name: string } | null> {
  if (!email) return null;
  const [agent] = await db
    .select({ id: users.id, name: users.name })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(
      and(
        eq(memberships.accountId, accountId),
        isNull(memberships.disabledAt),
        sql`lower(${users.email}) = ${email.toLowerCase()}`,
      ),
    )
    .limit(1);
  return agent ?? null;
}

/** Slack refused the token: an admin must reconnect; retrying cannot help. */
export function isTokenRefused(error: unknown): boolean {
  return classifySlackError(error).kind === "auth";
}
