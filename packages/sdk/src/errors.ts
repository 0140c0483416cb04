// The one error type the SDK throws: a tRPC client error that also says, in
// plain fields, what went wrong (`code`), and for a rate limit when to retry.
import type { AppRouter } from "@netia/api";
import { TRPCClientError } from "@trpc/client";

/** What went wrong: the server's code, or NETWORK when no answer came back. */
export type NetiaErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "INTERNAL_SERVER_ERROR"
  | "NETWORK"
  | (string & {});

type ErrorData = {
  code?: string;
  httpStatus?: number;
  retryAfter?: number;
  fieldErrors?: Record<string, string[]>;
};

export class NetiaError extends TRPCClientError<AppRouter> {
  /** UNAUTHORIZED: the key is unknown, expired or revoked; FORBIDDEN: it lacks a scope; ... */
  readonly code: NetiaErrorCode;
  /** The HTTP status the server answered with, when there was an answer. */
  readonly status: number | undefined;
  /** For TOO_MANY_REQUESTS: seconds until a retry may succeed. */
  readonly retryAfterSeconds: number | undefined;
  /** For BAD_REQUEST: the problems of each input field, by its dotted path. */
  readonly fieldErrors: Record<string, string[]> | undefined;

  constructor(cause: TRPCClientError<AppRouter>) {
    super(cause.message, {
      cause,
      result: cause.shape ? { error: cause.shape } : undefined,
      meta: cause.meta,
    });
    // TRPCClientError's constructor resets the prototype to its own; restore ours.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = "NetiaError";
    const data = (cause.data ?? {}) as ErrorData;
    this.code = data.code ?? "NETWORK";
    this.status = data.httpStatus;
    this.retryAfterSeconds = typeof data.retryAfter === "number" ? data.retryAfter : undefined;
    this.fieldErrors = data.fieldErrors;
  }
}

/** `error` as a NetiaError (tRPC client errors are converted; anything else is returned as is). */
export function toNetiaError(error: unknown): unknown {
  if (error instanceof NetiaError) return error;
  if (error instanceof TRPCClientError) return new NetiaError(error);
  return error;
}

export function isNetiaError(error: unknown): error is NetiaError {
  return error instanceof NetiaError;
}
