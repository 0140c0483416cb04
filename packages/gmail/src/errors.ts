// What a failed Google call means, decided on status codes and OAuth error
// codes (never on message text): the tokens are no good (an admin must
// reconnect), try again later (rate limits, Google's own trouble, the
// network), or a real error.

type GoogleError = {
  status?: number;
  code?: string | number;
  response?: { status?: number; data?: unknown; headers?: unknown };
};

function asGoogleError(error: unknown): GoogleError {
  return typeof error === "object" && error !== null ? (error as GoogleError) : {};
}

export function statusOf(error: unknown): number | undefined {
  const e = asGoogleError(error);
  return e.response?.status ?? e.status ?? (typeof e.code === "number" ? e.code : undefined);
}

/** Google refused the tokens: revoked, expired refresh token, password changed, client removed. */
export function isAuthFailure(error: unknown): boolean {
  const e = asGoogleError(error);
  const data = e.response?.data as { error?: unknown } | undefined;
  if (data?.error === "invalid_grant" || data?.error === "unauthorized_client") return true;
  return statusOf(error) === 401;
}

/** Worth another try after a pause: 429, 5xx, or the connection failed. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  const code = asGoogleError(error).code;
  return (
    status === undefined &&
    typeof code === "string" &&
    ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "UND_ERR_SOCKET"].includes(
      code,
    )
  );
}

/** Google's Retry-After, in milliseconds, when it sent one. */
export function retryAfterMs(error: unknown): number | undefined {
  const headers = asGoogleError(error).response?.headers as
    | { get?: (name: string) => string | null; [name: string]: unknown }
    | undefined;
  const value =
    typeof headers?.get === "function" ? headers.get("retry-after") : headers?.["retry-after"];
  const seconds = Number(value);
  return value != null && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

export function describeError(error: unknown): string {
  const e = asGoogleError(error);
  const data = e.response?.data as
    | { error?: string | { message?: string }; error_description?: string }
    | undefined;
  if (typeof data?.error === "string") {
    return `${data.error}${data.error_description ? `: ${data.error_description}` : ""}`;
  }
  if (data?.error?.message) return `${statusOf(error) ?? ""} ${data.error.message}`.trim();
  return error instanceof Error ? error.message : String(error);
}

/** The connection's tokens were refused: it is marked reconnect_required and syncs stop. */
export class GmailReconnectRequired extends Error {
  constructor(
    readonly connectionId: string,
    reason: string,
  ) {
    super(`gmail connection ${connectionId} needs to be reconnected: ${reason}`);
    this.name = "GmailReconnectRequired";
  }
}

export type RetryOptions = {
  /** Tries in all (default 5) before the error is thrown to the job, which retries later. */
  attempts?: number;
  /** First pause without a Retry-After (default 500 ms), doubled each time. */
  baseDelayMs?: number;
  /** The longest pause (default 30 s); a longer Retry-After is left to the job's retry. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, pausing and trying again on rate limits and server errors
 * (honouring Retry-After). What still fails is thrown: the caller keeps its
 * cursor where it was, so nothing is skipped.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const wait = retryAfterMs(error) ?? base * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
      if (wait > max) throw error;
      await sleep(wait);
    }
  }
}
