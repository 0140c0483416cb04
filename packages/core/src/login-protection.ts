// Login protection after OWASP's advice and rate-limiter-flexible's "login
// endpoint protection" example: failures are counted per email+IP (a short
// lockout after a run of consecutive failures, cleared by a success) and per
// IP (many failures in a day, any email). Nothing is counted per email alone,
// so whoever fails for an email from one address never locks out its owner
// logging in from another.
import { type AppError, isAppError } from "./errors";
import type { RateLimits } from "./rate-limit";

/** Runs `attempt` (the password check) unless the caller is locked out, and counts its failure. */
export async function protectLogIn<T>(
  limits: RateLimits,
  who: { email: string; ip: string | null },
  attempt: () => Promise<T>,
): Promise<T> {
  const ip = who.ip ?? "unknown";
  const pair = `${who.email}|${ip}`;
  await limits.consume("loginPerIp", ip);
  // Locked out: refused before the password is even looked at.
  await limits.check("loginFailsPerEmailIp", pair);
  await limits.check("loginFailsPerIp", ip);
  try {
    const result = await attempt();
    await limits.reset("loginFailsPerEmailIp", pair);
    return result;
  } catch (error) {
    if (isWrongCredentials(error)) {
      // The failure that crosses a limit answers 429 at once (and starts the lockout).
      await limits.consume("loginFailsPerEmailIp", pair);
      await limits.consume("loginFailsPerIp", ip);
    }
    throw error;
  }
}

/** A wrong password or an unknown email (better-auth answers both alike); not a disabled user. */
const isWrongCredentials = (error: unknown): error is AppError =>
  isAppError(error) && error.code === "UNAUTHORIZED";
