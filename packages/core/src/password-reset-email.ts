// The password reset email: better-auth makes the token and calls the
// runtime's hook with the user's email and link; this renders the email and
// queues it for the user's account. It is sensitive: the link sets the
// password, so its body is never shown on the outgoing mail page, never
// logged in production, and blanked once sent.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { passwordResetEmail } from "@netia/email";
import { asc, eq } from "drizzle-orm";
import { type EmailJobs, queueEmail } from "./outbound-email";

/** How long a reset link works (better-auth's `resetPasswordTokenExpiresIn`). */
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60;

/**
 * Queues the reset email to `email`. Returns false when the address has no
 * login on any team (better-auth only calls for existing users, so that
 * means the user lost their last team; there is nobody to write for).
 */
export async function queuePasswordResetEmail(
  deps: { db: Db; jobs: EmailJobs; from: string },
  { email, url }: { email: string; url: string },
): Promise<boolean> {
  const [login] = await deps.db
    .select({
      userId: schema.users.id,
      accountId: schema.memberships.accountId,
      companyName: schema.accounts.companyName,
    })
    .from(schema.users)
    .innerJoin(schema.memberships, eq(schema.memberships.userId, schema.users.id))
    .innerJoin(schema.accounts, eq(schema.accounts.id, schema.memberships.accountId))
    .where(eq(schema.users.email, email.toLowerCase()))
    .orderBy(asc(schema.memberships.createdAt))
    .limit(1);
  if (!login) return false;
  const rendered = await passwordResetEmail({
    companyName: login.companyName,
    resetUrl: url,
    expiresInMinutes: PASSWORD_RESET_TTL_SECONDS / 60,
  });
  await queueEmail(deps.db, deps, {
    accountId: login.accountId,
    kind: "password_reset",
    to: email,
    userId: login.userId,
    ...rendered,
    sensitive: true,
  });
  return true;
}
