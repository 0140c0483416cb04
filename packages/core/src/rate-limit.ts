// Rate limits for the public surface (sign-up, login, password reset), counted
// per IP and per email with rate-limiter-flexible. In memory for one node; the
// realtime work adds a Redis store for several.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "./errors";

export type RateLimitSettings = {
  /** Attempts per IP per minute. */
  loginPerIp: number;
  /** Attempts per email per 15 minutes: slows password guessing on one account. */
  loginPerEmail: number;
  /** Sign-ups per IP per hour. */
  signUpPerIp: number;
  /** Password-reset requests per email per hour. */
  resetPerEmail: number;
};

export const defaultRateLimits: RateLimitSettings = {
  loginPerIp: 30,
  loginPerEmail: 10,
  signUpPerIp: 20,
  resetPerEmail: 5,
};

export type RateLimits = {
  /** Counts one attempt for every key; throws TOO_MANY_REQUESTS when any is over its limit. */
  consume(kind: keyof RateLimitSettings, key: string): Promise<void>;
};

const windows: Record<keyof RateLimitSettings, number> = {
  loginPerIp: 60,
  loginPerEmail: 15 * 60,
  signUpPerIp: 60 * 60,
  resetPerEmail: 60 * 60,
};

export function createRateLimits(overrides: Partial<RateLimitSettings> = {}): RateLimits {
  const settings = { ...defaultRateLimits, ...overrides };
  const limiters = Object.fromEntries(
    (Object.keys(windows) as (keyof RateLimitSettings)[]).map((kind) => [
      kind,
      new RateLimiterMemory({ keyPrefix: kind, points: settings[kind], duration: windows[kind] }),
    ]),
  ) as Record<keyof RateLimitSettings, RateLimiterMemory>;

  return {
    async consume(kind, key) {
      try {
        await limiters[kind].consume(key.toLowerCase());
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          const seconds = Math.ceil(error.msBeforeNext / 1000);
          throw new AppError(
            "TOO_MANY_REQUESTS",
            `Too many attempts; try again in ${seconds} second${seconds === 1 ? "" : "s"}`,
          );
        }
        throw error;
      }
    },
  };
}
