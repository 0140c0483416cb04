// An agent's own profile: their name, avatar and password. The user row is
// better-auth's; the password goes through better-auth so it is hashed and
// checked the way logging in checks it.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { eq } from "drizzle-orm";
import { type Auth, authCall } from "./auth";
import { revokeOtherSessions } from "./authority";
import { notFound } from "./errors";
import type { WriteDeps } from "./events";

const { users } = schema;

const profileColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  avatarUrl: users.image,
};

export type Profile = { id: string; name: string; email: string; avatarUrl: string | null };

export async function getProfile(db: Db, { userId }: { userId: string }): Promise<Profile> {
  const [profile] = await db.select(profileColumns).from(users).where(eq(users.id, userId));
  if (!profile) throw notFound("User");
  return profile;
}

export async function updateProfile(
  db: Db,
  {
    userId,
    ...changes
  }: { userId: string; name?: string /** null removes it. */; avatarUrl?: string | null },
): Promise<Profile> {
  const [profile] = await db
    .update(users)
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.avatarUrl !== undefined && { image: changes.avatarUrl }),
    })
    .where(eq(users.id, userId))
    .returning(profileColumns);
  if (!profile) throw notFound("User");
  return profile;
}

/**
 * Changes the caller's password after checking the current one, then ends
 * every other session of theirs (and their sockets): whoever knew the old
 * password is logged out everywhere but here. Returns how many were ended.
 */
export async function changePassword(
  deps: WriteDeps & { auth: Auth },
  input: {
    userId: string;
    sessionId: string;
    headers: Headers;
    currentPassword: string;
    newPassword: string;
  },
): Promise<number> {
  const { currentPassword, newPassword } = input;
  await authCall(() =>
    deps.auth.api.changePassword({
      body: { currentPassword, newPassword, revokeOtherSessions: false },
      headers: input.headers,
    }),
  );
  return revokeOtherSessions(deps, { userId: input.userId, keepSessionId: input.sessionId });
}
