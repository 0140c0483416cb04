// The one error type core functions throw for expected failures. The API maps
// `code` to a tRPC code in one place (packages/api/src/trpc.ts); anything else
// reaching a user is an internal error and is logged, never shown.
//
// Recognise it with `isAppError`, never `instanceof`: the custom server and the
// Next.js route bundle each load their own copy of this module, so an AppError
// thrown by one (say, a rate limiter built by the server's runtime) is not an
// instance of the other's class. The brand below is shared by every copy.
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS";

/** HTTP status of each code, for routes that answer outside tRPC. */
export const httpStatusOf = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
} as const satisfies Record<AppErrorCode, number>;

const BRAND = Symbol.for("netia.AppError");

export class AppError extends Error {
  readonly [BRAND] = true;

  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** For TOO_MANY_REQUESTS: seconds until a retry can succeed (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** Whether `error` is an AppError from any copy of this module. */
export function isAppError(error: unknown): error is AppError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (error as { code?: unknown }).code === "string" &&
    Object.hasOwn(httpStatusOf, (error as { code: string }).code)
  );
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
