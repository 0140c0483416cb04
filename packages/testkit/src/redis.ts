import { checkRedis } from "@netia/realtime";

export const testRedisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export async function redisReachable(url = testRedisUrl): Promise<boolean> {
  try {
    await checkRedis(url, 2_000);
    return true;
  } catch {
    return false;
  }
}
