// A link that waits and tries again when the server says "too many requests"
// (each API key has a per-minute allowance). The server refuses such a call
// before running it, so retrying a mutation cannot apply it twice.
import type { AppRouter } from "@netia/api";
import { TRPCClientError, type TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";

export type RetryOptions = {
  /** Retries of one call after a 429 before its error is thrown (default 3; 0: never). */
  maxRetries?: number;
  /** The longest the client waits for one retry; a longer Retry-After is thrown (default 60 s). */
  maxDelayMs?: number;
};

/** Milliseconds the server asked to wait, or null if `error` is not a rate limit. */
export function retryDelayOf(error: unknown): number | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { code?: string; retryAfter?: number } | undefined;
  if (data?.code !== "TOO_MANY_REQUESTS") return null;
  if (typeof data.retryAfter === "number") return Math.max(0, data.retryAfter) * 1000;
  // Otherwise the Retry-After header, in seconds or as a date.
  const response = (error.meta as { response?: Response } | undefined)?.response;
  const header = response?.headers?.get("retry-after");
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds) * 1000;
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  return 1000;
}

export function retryOnRateLimit({
  maxRetries = 3,
  maxDelayMs = 60_000,
}: RetryOptions = {}): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let attempts = 0;
        let current: Unsubscribable | undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const attempt = () => {
          current = next(op).subscribe({
            next: (value) => observer.next(value),
            complete: () => observer.complete(),
            error: (error) => {
              const delay = op.type === "subscription" ? null : retryDelayOf(error);
              if (delay === null || attempts >= maxRetries || delay > maxDelayMs) {
                observer.error(error);
                return;
              }
              attempts++;
              timer = setTimeout(attempt, delay);
            },
          });
        };
        attempt();
        return () => {
          clearTimeout(timer);
          current?.unsubscribe();
        };
      });
}
