/**
 * The Lua scripts of the contact store, the decision log and the reward join (./lua/<name>-<keys>.lua,
 * each opening with its KEYS/ARGV/Output contract; ./lua/*-lib.lua hold functions several share),
 * registered on an ioredis client as commands. ioredis runs a script by its SHA-1 (EVALSHA, loading it
 * when Redis lacks it), so each replica always runs its own version's scripts; what versions must agree
 * on during a rolling upgrade is the data the scripts leave in Redis (docs/decision-log.md). The names
 * are the client's own and never reach Redis.
 */
import { readFileSync } from "node:fs";
import type { Redis, Result } from "ioredis";

const script = (file: string): string => readFileSync(new URL(`./lua/${file}`, import.meta.url), "utf8");

/** Functions shared by several scripts, prepended to each (a Redis script cannot load another). */
const CONTACT_LIB = script("contact-lib.lua");
const LOG_LIB = script("log-lib.lua");

export const DECISION_COMMANDS = {
  nbaRecordContactsV1: { numberOfKeys: 1, lua: CONTACT_LIB + script("record-contacts-1.lua") },
  /** Variable number of keys: the caller passes the key count first. */
  nbaLogDecisionsV1: { numberOfKeys: undefined, lua: LOG_LIB + script("log-decisions-n.lua") },
  nbaWriteDecisionsV1: {
    numberOfKeys: undefined,
    lua: CONTACT_LIB + LOG_LIB + script("write-decisions-n.lua"),
  },
  nbaJoinRewardV1: { numberOfKeys: 1, lua: script("join-reward-1.lua") },
  nbaFinalizeDecisionV1: { numberOfKeys: 1, lua: script("finalize-decision-1.lua") },
  nbaClaimDueV1: { numberOfKeys: 1, lua: script("claim-due-1.lua") },
  nbaEmitRewardsV1: { numberOfKeys: 3, lua: script("emit-rewards-3.lua") },
} as const;

type Arg = string | number;

declare module "ioredis" {
  interface RedisCommander<Context> {
    nbaRecordContactsV1(contactKey: string, ...args: Arg[]): Result<string[], Context>;
    nbaLogDecisionsV1(numberOfKeys: number, ...keysThenArgs: Arg[]): Result<number, Context>;
    nbaWriteDecisionsV1(numberOfKeys: number, ...keysThenArgs: Arg[]): Result<string[], Context>;
    nbaJoinRewardV1(
      decisionKey: string,
      actionId: string,
      now: number,
      stored: string,
    ): Result<[number, ...string[]], Context>;
    nbaFinalizeDecisionV1(decisionKey: string, now: number): Result<(number | string)[], Context>;
    nbaClaimDueV1(dueKey: string, now: number, max: number, leaseEnd: number): Result<string[], Context>;
    nbaEmitRewardsV1(stream: string, due: string, sent: string, ...args: Arg[]): Result<number[], Context>;
  }
}

const registered = new WeakSet<Redis>();

/** Registers the scripts on `redis` once; every Redis store of this folder calls it in its constructor. */
export function defineDecisionCommands(redis: Redis): void {
  if (registered.has(redis)) return;
  for (const [name, { numberOfKeys, lua }] of Object.entries(DECISION_COMMANDS)) {
    redis.defineCommand(name, { numberOfKeys, lua });
  }
  registered.add(redis);
}
