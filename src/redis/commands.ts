/**
 * Loads the Lua scripts in ./commands once and registers them on an ioredis client under versioned
 * names (a changed script gets a new name, so replicas running old code never call new scripts).
 */
import { readFileSync } from "node:fs";
import type { Redis, Result } from "ioredis";

const script = (file: string): string => readFileSync(new URL(`./commands/${file}`, import.meta.url), "utf8");

/** `numberOfKeys: null` means the caller passes the key count first (the script takes keys per customer). */
export const REDIS_COMMANDS = {
  nbaIngestEventsV2: { numberOfKeys: null, lua: script("ingest-events-2n.lua") },
  nbaReadCustomerV1: { numberOfKeys: 2, lua: script("read-customer-2.lua") },
  nbaReadDecisionInputsV2: { numberOfKeys: null, lua: script("read-decision-inputs-3n.lua") },
} as const;

declare module "ioredis" {
  interface RedisCommander<Context> {
    /** Arguments: key count, then the keys, then the script's ARGV (see ingest-events-2n.lua). */
    nbaIngestEventsV2(...args: (string | number)[]): Result<string, Context>;
    nbaReadCustomerV1(featureKey: string, profileKey: string): Result<[string, string | null], Context>;
    /** Arguments: key count, then three keys per customer (see read-decision-inputs-3n.lua). */
    nbaReadDecisionInputsV2(...args: (number | string)[]): Result<(string | null)[], Context>;
  }
}

export function defineCommands(redis: Redis): void {
  for (const [name, { numberOfKeys, lua }] of Object.entries(REDIS_COMMANDS)) {
    redis.defineCommand(name, numberOfKeys === null ? { lua } : { numberOfKeys, lua });
  }
}
