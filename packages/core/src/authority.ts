// What an agent may do is read when a connection opens, but a websocket lives
// for hours: whenever a session ends or a member's role or status changes, the
// change is announced on the bus so every node re-reads the authority of its
// open sockets (packages/api/src/authority.ts) instead of trusting what it
// read at connect time.
import { schema } from "@netia/db";
import { channels } from "@netia/realtime";
import { and, eq, ne } from "drizzle-orm";
import type { WriteDeps } from "./events";

/** Which sockets must re-check: every one of a user, or every one of a session. */
export type AuthorityChange = { userId: string } | { sessionId: string };

export type AuthorityChanged = { type: "authority.changed"; userId?: string; sessionId?: string };

/**
 * Tells every node to re-read the authority of the given user's or session's
 * sockets. Call it after the change committed. Like `publish`, it never fails
 * or delays the caller: a node that misses it re-checks on its own within
 * AUTHORITY_RECHECK_MS (packages/api/src/limits.ts).
 */
export function announceAuthorityChange(
  deps: Pick<WriteDeps, "bus" | "logger">,
  change: AuthorityChange,
): void {
  const event: AuthorityChanged = { type: "authority.changed", ...change };
  deps.bus.publish(channels.authority, event).catch((err: unknown) => {
    deps.logger?.error({ err, ...change }, "authority change not published");
  });
}

/** Ends every session of `userId` but `keepSessionId` (the caller's own). */
export async function revokeOtherSessions(
  deps: WriteDeps,
  input: { userId: string; keepSessionId: string },
): Promise<number> {
  const { sessions } = schema;
  const revoked = await deps.db
    .delete(sessions)
    .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.keepSessionId)))
    .returning({ id: sessions.id });
  for (const { id } of revoked) announceAuthorityChange(deps, { sessionId: id });
  return revoked.length;
}
