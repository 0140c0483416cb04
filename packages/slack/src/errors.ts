// What a failed Slack call means for the work that made it, decided on
// @slack/web-api's error codes and Slack's `error` strings, never on message
// text: wait out a rate limit, retry trouble, ask an admin to reconnect when
// the token is refused, and stop (showing why) when retrying cannot help.
import { ErrorCode } from "@slack/web-api";

export type SlackFailure =
  /** 429: Slack said how long to wait (seconds). */
  | { kind: "rate_limited"; retryAfterSeconds: number; reason: string }
  /** The token is refused (uninstalled, revoked): the connection needs reconnecting. */
  | { kind: "auth"; reason: string }
  /** Slack's trouble or the network's: the same call may work later. */
  | { kind: "transient"; reason: string }
  /** The call cannot work as it is (channel gone, bot not in it...): an admin must act. */
  | { kind: "permanent"; reason: string };

const AUTH_ERRORS = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "no_permission",
  "team_access_not_granted",
]);

const TRANSIENT_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

export function classifySlackError(error: unknown): SlackFailure {
  const e = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
    message?: string;
  };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return {
        kind: "rate_limited",
        retryAfterSeconds: Math.max(1, Number(e.retryAfter) || 1),
        reason: "Slack is rate-limiting Netia (429)",
      };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? "unknown_error";
      if (AUTH_ERRORS.has(code))
        return { kind: "auth", reason: `Slack refused the token (${code})` };
      if (TRANSIENT_ERRORS.has(code)) return { kind: "transient", reason: `Slack said ${code}` };
      return { kind: "permanent", reason: `Slack said ${code}` };
    }
    case ErrorCode.HTTPError:
      return { kind: "transient", reason: `Slack answered HTTP ${e.statusCode}` };
    case ErrorCode.RequestError:
      return { kind: "transient", reason: "Slack could not be reached" };
    default:
      return { kind: "transient", reason: e?.message ?? String(error) };
  }
}

/** Thrown when a failure should end the job's attempt and let the queue retry it. */
export class SlackRetryLater extends Error {}
