// Agents' authentication: better-auth does the password hashing, sessions and
// signed HTTP-only cookies; Netia adds accounts (tenants), roles and invitations.
import { type Config, servedOverHttps } from "@netia/config";
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { APIError } from "better-auth/api";
import { AppError } from "./errors";
import { passwordResetUrl } from "./links";
import { PASSWORD_RESET_TTL_SECONDS } from "./password-reset-email";

export type AuthHooks = {
  /** Delivers a password-reset link (the runtime queues the email). */
  sendPasswordReset(email: string, url: string): Promise<void>;
  /** A password reset ended every session of the user: their open sockets must follow. */
  sessionsRevoked?(userId: string): void;
};

export function createAuth(db: Db, config: Config, hooks: AuthHooks) {
  return betterAuth({
    appName: "Netia",
    baseURL: config.backendUrl,
    basePath: "/api/auth",
    secret: config.secretKeyBase,
    database: drizzleAdapter(db, {
      provider: "pg",
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.credentials,
        verification: schema.verifications,
      },
    }),
    account: { fields: { accountId: "providerAccountId" } },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: PASSWORD_RESET_TTL_SECONDS,
      onPasswordReset: async ({ user }) => hooks.sessionsRevoked?.(user.id),
      sendResetPassword: async ({ user, token }) => {
        await hooks.sendPasswordReset(user.email, passwordResetUrl(config.appUrl, token));
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    advanced: {
      cookiePrefix: "netia",
      useSecureCookies: servedOverHttps(config),
    },
    // Netia rate limits sign-up and login itself (rate-limit.ts), per IP and per email.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    logger: { disabled: true },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** Turns better-auth's errors into AppErrors with messages fit for users. */
export async function authCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof APIError) {
      const message = error.body?.message ?? error.message;
      const status = error.statusCode;
      if (status === 401) throw new AppError("UNAUTHORIZED", message);
      if (status === 403) throw new AppError("FORBIDDEN", message);
      if (status === 422 && /exist/i.test(message)) {
        throw new AppError("CONFLICT", "An account already uses this email; log in instead");
      }
      if (status === 429) throw new AppError("TOO_MANY_REQUESTS", message);
      if (status >= 400 && status < 500) throw new AppError("BAD_REQUEST", message);
    }
    throw error;
  }
}
