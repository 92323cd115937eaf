/**
 * A real Redis connection for one test file, with its own random key prefix; cleanup deletes only
 * the keys under that prefix.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { inject } from "vitest";
import { connectRedis } from "../../src/redis/connect.js";

export interface TestRedis {
  readonly url: string;
  readonly redis: Redis;
  readonly prefix: string;
  cleanup(): Promise<void>;
}

export function testRedisUrl(): string {
  return inject("redisUrl");
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== "0");
  return deleted;
}

export function createTestRedis(): TestRedis {
  const url = testRedisUrl();
  const redis = connectRedis(url);
  const prefix = `nba-test-${randomUUID().slice(0, 8)}:v1`;
  return {
    url,
    redis,
    prefix,
    cleanup: async () => {
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
    },
  };
}
