// What a failed call to the provider means for the job: try again later
// (rate limits, outages, timeouts, dropped connections) or not at all (a bad
// request, a wrong key, a model that does not exist). Decided on HTTP status
// and the SDK's error classes, never on message text.
import { APIConnectionError, APIError, APIUserAbortError } from "openai";

export type ProviderFailure = {
  /** Another attempt may succeed. */
  retry: boolean;
  /** What the provider asked for (429 Retry-After), in milliseconds. */
  retryAfterMs: number | null;
  /** For the run's detail and the logs. */
  summary: string;
};

export function classifyProviderError(err: unknown): ProviderFailure {
  // APIConnectionTimeoutError is an APIConnectionError.
  if (err instanceof APIConnectionError) {
    return { retry: true, retryAfterMs: null, summary: `connection: ${err.constructor.name}` };
  }
  if (err instanceof APIUserAbortError) {
    return { retry: true, retryAfterMs: null, summary: "aborted" };
  }
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const retryAfter = Number(err.headers?.get?.("retry-after"));
    const summary = `provider answered ${status || "without a status"}${err.type ? ` (${err.type})` : ""}`;
    if (status === 408 || status === 409 || status === 429 || status >= 500 || status === 0) {
      return {
        retry: true,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
        summary,
      };
    }
    return { retry: false, retryAfterMs: null, summary };
  }
  // Not the provider's answer (a bug, a database hiccup): the job's retries apply.
  return {
    retry: true,
    retryAfterMs: null,
    summary: err instanceof Error ? err.message : String(err),
  };
}
