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
  /** Login attempts per IP per minute. */
  loginPerIp: number;
  /** Login attempts per email per 15 minutes: slows password guessing on one account. */
  loginPerEmail: number;
  /** Sign-ups per IP per hour. */
  signUpPerIp: number;
  /** Password-reset requests per email per hour. */
  resetPerEmail: number;
  /** Widget calls per IP per minute. */
  widgetPerIp: number;
  /** Widget calls per account per minute, all visitors together. */
  widgetPerAccount: number;
};

export const defaultRateLimits: RateLimitSettings = {
  loginPerIp: 30,
  loginPerEmail: 10,
  signUpPerIp: 20,
  resetPerEmail: 5,
  widgetPerIp: 600,
  widgetPerAccount: 30_000,
};

export type RateLimits = {
  /** Counts one attempt for `key`; throws TOO_MANY_REQUESTS when it is over its limit. */
  consume(kind: keyof RateLimitSettings, key: string): Promise<void>;
};

/** Window of each limit, in seconds. */
const windows: Record<keyof RateLimitSettings, number> = {
  loginPerIp: 60,
  loginPerEmail: 15 * 60,
  signUpPerIp: 60 * 60,
  resetPerEmail: 60 * 60,
  widgetPerIp: 60,
  widgetPerAccount: 60,
};

export function createRateLimits(
  overrides: Partial<RateLimitSettings> = {},
  redis?: Redis,
): RateLimits {
  const settings = { ...defaultRateLimits, ...overrides };
  const limiters = Object.fromEntries(
    (Object.keys(windows) as (keyof RateLimitSettings)[]).map((kind) => {
      const options = {
        keyPrefix: `netia:rl:${kind}`,
        points: settings[kind],
        duration: windows[kind],
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
  ) as Record<keyof RateLimitSettings, RateLimiterAbstract>;

  return {
    async consume(kind, key) {
      try {
        await limiters[kind].consume(key.toLowerCase());
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          const seconds = Math.ceil(error.msBeforeNext / 1000);
          throw new AppError(
            "TOO_MANY_REQUESTS",
            `Too many requests; try again in ${seconds} second${seconds === 1 ? "" : "s"}`,
          );
        }
        throw error;
      }
    },
  };
}
