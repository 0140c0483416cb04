// Turning start-up failures into lines an operator can act on: one ERROR line
// per problem, no stack trace. Shared by the server and the `netia` command.
import { ConfigError } from "@netia/config";

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

/** One line per problem, no stack trace: these reach operators, not developers. */
export function problemsOf(error: unknown): string[] {
  if (error instanceof ConfigError) return error.problems;
  if (error instanceof AggregateError && error.errors.length > 0) {
    return problemsOf(error.errors[0]);
  }
  // drizzle wraps driver errors ("Failed query: ..."); the driver's reason is the useful part.
  if (error instanceof Error && error.cause instanceof Error) return problemsOf(error.cause);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (UNREACHABLE_CODES.has(String(code))) {
      return [`cannot reach the database (${code}): check DATABASE_URL and that Postgres is up`];
    }
    const message = (error.message || error.name).split("\n")[0] as string;
    if (/ssl|certificate/i.test(message)) {
      return [`${message}: check REQUIRE_DB_SSL and sslmode in DATABASE_URL`];
    }
    return [message];
  }
  return [String(error)];
}

/** Exit code when the database cannot be reached: docker-entrypoint.sh waits and retries. */
export const EXIT_UNREACHABLE = 3;

export function unreachable(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(unreachable);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return UNREACHABLE_CODES.has(String(code)) || unreachable(error.cause);
}
