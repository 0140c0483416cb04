// Accounts (tenants) and the agent-facing auth flows built on better-auth.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { APIError } from "better-auth/api";
import { eq, sql } from "drizzle-orm";
import { type Auth, authCall } from "./auth";
import { announceAuthorityChange } from "./authority";
import { AppError, notFound } from "./errors";
import type { WriteDeps } from "./events";
import { createInbox } from "./inboxes";

export type AuthDeps = { db: Db; auth: Auth };

/** Copies the cookies better-auth set onto the response. */
function forwardCookies(from: Headers, to: Headers) {
  for (const cookie of from.getSetCookie()) to.append("set-cookie", cookie);
}

type NewUser = { name: string; email: string; password: string };

/**
 * Creates the better-auth user, then runs `attach` (membership and so on) in a
 * transaction. If `attach` fails the user is deleted again: nothing half-written.
 */
export async function createUserThen<T>(
  { db, auth }: AuthDeps,
  user: NewUser,
  headers: Headers,
  resHeaders: Headers,
  attach: (tx: Db, userId: string) => Promise<T>,
): Promise<{ userId: string; result: T }> {
  const { headers: authHeaders, response } = await authCall(() =>
    auth.api.signUpEmail({ body: user, headers, returnHeaders: true }),
  );
  const userId = response.user.id;
  try {
    const result = await db.transaction((tx) => attach(tx, userId));
    forwardCookies(authHeaders, resHeaders);
    return { userId, result };
  } catch (error) {
    await db.delete(schema.users).where(eq(schema.users.id, userId));
    throw error;
  }
}

/** Who may create a new account (NETIA_REGISTRATION); invitations are not sign-ups. */
export type Registration = "open" | "first" | "closed";

const SIGN_UP_CLOSED =
  "Sign-up is closed on this Netia server. Ask an admin of your team for an invitation.";

/**
 * Whether a new account may be created now. `first` is open only while the
 * instance has no account, so whoever installs it creates the first one and
 * nobody else can add accounts afterwards.
 */
export async function signUpOpen(db: Db, registration: Registration): Promise<boolean> {
  if (registration !== "first") return registration === "open";
  const [any] = await db.select({ id: schema.accounts.id }).from(schema.accounts).limit(1);
  return !any;
}

async function assertSignUpOpen(db: Db, registration: Registration) {
  if (!(await signUpOpen(db, registration))) throw new AppError("FORBIDDEN", SIGN_UP_CLOSED);
}

export async function signUp(
  deps: AuthDeps & { registration: Registration },
  input: NewUser & { companyName: string },
  headers: Headers,
  resHeaders: Headers,
) {
  const { name, email, password } = input;
  // Checked before the login is created, and again under a lock with the
  // account insert, so two first sign-ups at once cannot both get in.
  await assertSignUpOpen(deps.db, deps.registration);
  const { userId, result: account } = await createUserThen(
    deps,
    { name, email, password },
    headers,
    resHeaders,
    async (tx, userId) => {
      if (deps.registration === "first") {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('netia:first-account'))`);
        await assertSignUpOpen(tx, deps.registration);
      }
      const [account] = await tx
        .insert(schema.accounts)
        .values({ companyName: input.companyName })
        .returning();
      if (!account) throw new Error("account insert returned nothing");
      await tx.insert(schema.memberships).values({ accountId: account.id, userId, role: "admin" });
      await createInbox(tx, { accountId: account.id, name: "Website", isDefault: true });
      return account;
    },
  );
  return {
    user: { id: userId, name, email: email.toLowerCase() },
    account: { id: account.id, companyName: account.companyName },
  };
}

export async function logIn(
  { db, auth }: AuthDeps,
  input: { email: string; password: string },
  headers: Headers,
  resHeaders: Headers,
) {
  const { headers: authHeaders, response } = await authCall(() =>
    auth.api.signInEmail({ body: input, headers, returnHeaders: true }),
  );
  const [membership] = await db
    .select()
    .from(schema.memberships)
    .where(eq(schema.memberships.userId, response.user.id))
    .limit(1);
  if (!membership || membership.disabledAt) {
    // Undo the session better-auth just created: a disabled agent gets none.
    await db.delete(schema.sessions).where(eq(schema.sessions.userId, response.user.id));
    throw new AppError("FORBIDDEN", "This user has been disabled; ask an admin of your team");
  }
  forwardCookies(authHeaders, resHeaders);
  const { id, name, email } = response.user;
  return { user: { id, name, email } };
}

/** Ends the cookie's session here and on every socket that was opened with it. */
export async function logOut(
  deps: AuthDeps & Pick<WriteDeps, "bus" | "logger">,
  headers: Headers,
  resHeaders: Headers,
) {
  const current = await deps.auth.api.getSession({ headers });
  const { headers: authHeaders } = await authCall(() =>
    deps.auth.api.signOut({ headers, returnHeaders: true }),
  );
  forwardCookies(authHeaders, resHeaders);
  if (current) announceAuthorityChange(deps, { sessionId: current.session.id });
}

export async function requestPasswordReset({ auth }: AuthDeps, input: { email: string }) {
  // better-auth answers the same whether or not the email exists: no account enumeration.
  await authCall(() => auth.api.requestPasswordReset({ body: { email: input.email } }));
}

export async function resetPassword(
  { auth }: AuthDeps,
  input: { token: string; newPassword: string },
) {
  await authCall(async () => {
    try {
      await auth.api.resetPassword({ body: input });
    } catch (error) {
      // better-auth says only "Invalid token" for a used, expired or unknown link.
      if (error instanceof APIError && error.body?.code === "INVALID_TOKEN") {
        throw new AppError(
          "BAD_REQUEST",
          "This password reset link is invalid or has expired; ask for a new one",
        );
      }
      throw error;
    }
  });
}

export async function getAccount(db: Db, { accountId }: { accountId: string }) {
  const [account] = await db
    .select()
    .from(schema.accounts)
    .where(eq(schema.accounts.id, accountId))
    .limit(1);
  if (!account) throw notFound("Account");
  return account;
}

export type AccountUpdate = Partial<
  Pick<
    typeof schema.accounts.$inferInsert,
    | "companyName"
    | "logoUrl"
    | "timeZone"
    | "workingHours"
    | "awayMessage"
    | "emailSenderName"
    | "customerEmailAfterMinutes"
  >
>;

export async function updateAccount(
  db: Db,
  { accountId, ...changes }: { accountId: string } & AccountUpdate,
) {
  const [account] = await db
    .update(schema.accounts)
    .set(changes)
    .where(eq(schema.accounts.id, accountId))
    .returning();
  if (!account) throw notFound("Account");
  return account;
}
