// Rate limits for the public surface, counted with rate-limiter-flexible: in
// memory on one node, in Redis when several nodes share the traffic (so a
// client cannot multiply its allowance by spreading requests across nodes).
import type { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { AppError } from "./errors";

export type RateLimitSettings = {
  /** Login attempts per IP per minute, right or wrong: a burst throttle. */
  loginPerIp: number;
  /** Consecutive failed logins for one email from one IP; the next failure locks that pair for 15 minutes. */
  loginFailsPerEmailIp: number;
  /** Failed logins per IP per day, any email; the next failure locks the IP for a day. */
  loginFailsPerIp: number;
  /** Sign-ups per IP per hour. */
  signUpPerIp: number;
  /** Password-reset requests per email per hour. */
  resetPerEmail: number;
  /** Widget calls per IP per minute. */
  widgetPerIp: number;
  /** Widget calls per account per minute, all visitors together. */
  widgetPerAccount: number;
  /** Files one visitor or agent may upload per hour. */
  uploadsPerUploader: number;
  /** KiB one visitor or agent may upload per hour. */
  uploadKibPerUploader: number;
  /** KiB one account may receive per day, all its visitors and agents together. */
  uploadKibPerAccount: number;
  /** Suggestions, summaries and rewrites one agent may ask the assistant for per hour. */
  assistantHelpPerAgent: number;
  /** Calls one API key may make per minute. */
  apiKeyPerKey: number;
};

export type RateLimitKind = keyof RateLimitSettings;

export const defaultRateLimits: RateLimitSettings = {
  loginPerIp: 30,
  loginFailsPerEmailIp: 10,
  loginFailsPerIp: 100,
  signUpPerIp: 20,
  resetPerEmail: 5,
  widgetPerIp: 600,
  widgetPerAccount: 30_000,
  uploadsPerUploader: 60,
  uploadKibPerUploader: 100 * 1024,
  uploadKibPerAccount: 2 * 1024 * 1024,
  assistantHelpPerAgent: 200,
  apiKeyPerKey: 600,
};

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Window of each limit, and how long a key stays refused once it went over
 * (by default until its window ends).
 */
const windows: Record<RateLimitKind, { duration: number; blockDuration?: number }> = {
  loginPerIp: { duration: MINUTE },
  // Forgotten only by a successful login from the pair (or a quiet day); a short lockout.
  loginFailsPerEmailIp: { duration: DAY, blockDuration: 15 * MINUTE },
  loginFailsPerIp: { duration: DAY, blockDuration: DAY },
  signUpPerIp: { duration: HOUR },
  resetPerEmail: { duration: HOUR },
  widgetPerIp: { duration: MINUTE },
  widgetPerAccount: { duration: MINUTE },
  uploadsPerUploader: { duration: HOUR },
  uploadKibPerUploader: { duration: HOUR },
  uploadKibPerAccount: { duration: DAY },
  assistantHelpPerAgent: { duration: HOUR },
  apiKeyPerKey: { duration: MINUTE },
};

export type RateLimits = {
  /** Counts `points` (default 1) for `key`; throws TOO_MANY_REQUESTS when that goes over the limit. */
  consume(kind: RateLimitKind, key: string, points?: number): Promise<void>;
  /** Throws TOO_MANY_REQUESTS if `key` is already over its limit, without counting anything. */
  check(kind: RateLimitKind, key: string): Promise<void>;
  /** Gives back points counted earlier (an upload reserved more than it used, or failed). */
  refund(kind: RateLimitKind, key: string, points: number): Promise<void>;
  /** Forgets everything counted for `key` (a successful login clears its failures). */
  reset(kind: RateLimitKind, key: string): Promise<void>;
};

function tooMany(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const wait =
    seconds < 120
      ? `${seconds} second${seconds === 1 ? "" : "s"}`
      : `${Math.ceil(seconds / 60)} minutes`;
  return new AppError("TOO_MANY_REQUESTS", `Too many requests; try again in ${wait}`, seconds);
}

export function createRateLimits(
  overrides: Partial<RateLimitSettings> = {},
  redis?: Redis,
): RateLimits {
  const settings = { ...defaultRateLimits, ...overrides };
  const limiters = Object.fromEntries(
    (Object.keys(windows) as RateLimitKind[]).map((kind) => {
      const options = {
        keyPrefix: `netia:rl:${kind}`,
        points: settings[kind],
        ...windows[kind],
      };
      const limiter: RateLimiterAbstract = redis
        ? new RateLimiterRedis({
            ...options,
            storeClient: redis,
            rejectIfRedisNotReady: true,
            // While Redis is unreachable, count in memory rather than refuse everyone.
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
      return [kind, limiter];
    }),
  ) as Record<RateLimitKind, RateLimiterAbstract>;

  return {
    async consume(kind, key, points = 1) {
      try {
        await limiters[kind].consume(key.toLowerCase(), points);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw tooMany(error.msBeforeNext);
        throw error;
      }
    },
    async check(kind, key) {
      const state = await limiters[kind].get(key.toLowerCase());
      if (state && state.consumedPoints > settings[kind]) throw tooMany(state.msBeforeNext);
    },
    async refund(kind, key, points) {
      if (points > 0) await limiters[kind].reward(key.toLowerCase(), points);
    },
    async reset(kind, key) {
      await limiters[kind].delete(key.toLowerCase());
    },
  };
}
