/** Removes what a benchmark wrote: every key under its private prefix. */
import type { Redis } from "ioredis";

/** Deletes every key under `prefix:` (SCAN + UNLINK); returns how many went. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 5000);
    cursor = next;
    if (keys.length) deleted += await redis.unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
