/**
 * A decision's hash holds its reward basis (~400-500 bytes of JSON) for the reward window plus a
 * margin, so it sizes a production Redis. Redis keeps a hash in its compact listpack encoding only
 * while every value fits `hash-max-listpack-value` (64 bytes by default); past it the hash becomes a
 * hashtable, 38-45% bigger in bench:decide (docs/decision-log.md, "Sizing"). The service does not change server
 * settings; it says what to set.
 */
import type { Redis } from "ioredis";

/** Enough for a reward basis with a few served actions; a longer value still works, less compactly. */
export const RECOMMENDED_LISTPACK_VALUE = 1024;

/** The server's `hash-max-listpack-value`, or undefined when it cannot be read. */
export async function readListpackValue(redis: Redis): Promise<number | undefined> {
  try {
    const reply: unknown = await redis.config("GET", "hash-max-listpack-value");
    const value = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    return Number.isFinite(value) ? value : undefined;
  } catch {
    // Managed Redis services often refuse CONFIG; their parameter groups are documented instead.
    return undefined;
  }
}

/** The advice to log, or undefined when the setting is already large enough or cannot be read. */
export async function listpackAdvice(redis: Redis): Promise<string | undefined> {
  const value = await readListpackValue(redis);
  return value === undefined ? undefined : adviceFor(value);
}

/** What to say about a server's `hash-max-listpack-value`, or undefined when it is large enough. */
export function adviceFor(value: number): string | undefined {
  if (!Number.isFinite(value) || value >= RECOMMENDED_LISTPACK_VALUE) return undefined;
  return (
    `Redis hash-max-listpack-value is ${value}: every decision hash kept for its reward window takes ` +
    `about 40% more memory than with ${RECOMMENDED_LISTPACK_VALUE} (set it in redis.conf or your provider's ` +
    "parameter group; see docs/decision-log.md, Sizing)"
  );
}
