/**
 * The production decision log: a capped stream of every record (`{decisions}:log`) plus a hash per
 * decision (`{d:decisionId}`) kept for its reward window and a margin: its RewardBasis for reward joins
 * and, under an idempotency key, the whole record for replays.
 *
 * Every decision appended in one event-loop turn goes to Redis in one script call
 * (log-decisions-n.lua): the decision hashes, the stream entries and the due-set members, each record
 * sent once. Per-command client CPU and the bytes written to the socket are what an append costs the
 * service under load, not Redis. The call leaves before the service reads its next request
 * (setImmediate), and commands on one connection run in order, so a reward for a decision always finds
 * its hash. The keys span Redis Cluster slots: a Cluster deployment would need one call per slot (the
 * service connects to one Redis today).
 */
import type { Redis } from "ioredis";
import { TurnBatcher } from "../concurrency/turn-batcher.js";
import { defineDecisionCommands } from "./decision-commands.js";
import { decisionClaimKey, decisionKey, logScriptKeys } from "./decision-keys.js";
import {
  assertLoggable,
  DEFAULT_DECISION_LOG_LENGTH,
  DEFAULT_RETENTION_MARGIN_MS,
  type DecisionLog,
  type DecisionLogEntry,
  keepsRecord,
  type LogRangeOptions,
} from "./decision-log.js";
import type { DecisionRecord } from "./decision-record.js";
import { rewardBasisOf, servedActionIds } from "./reward-join.js";
import { storeUnavailable } from "./store-unavailable.js";
import { fieldOf, streamPages } from "./stream-pages.js";

const unavailable = storeUnavailable("decision log");

export interface RedisDecisionLogOptions {
  readonly keyPrefix: string;
  /** Approximate cap of the decision stream. Default 1,000,000. */
  readonly maxLength?: number;
  /** Kept past the reward deadline. Default one day; use the reward store's value. */
  readonly retentionMarginMs?: number;
  /**
   * Every decision's hash keeps its whole record instead of its basis, as before the basis: for a rolling
   * upgrade, while replicas of the earlier version (whose join reads the record) still serve rewards.
   */
  readonly keepRecords?: boolean;
}

/**
 * A decision's block of log-decisions-n.lua's (and write-decisions-n.lua's) arguments: its id, ttl,
 * reward deadline, default reward, served action ids, the record as JSON, and its RewardBasis as JSON,
 * or "" when the hash keeps the whole record instead (`keepsRecord`, or every decision with
 * `keepRecords`): the basis is derived from the record, so a hash holds one or the other.
 */
export function logBlock(
  record: DecisionRecord,
  retentionMarginMs: number,
  keepRecords = false,
): (string | number)[] {
  assertLoggable(record);
  const served = servedActionIds(record);
  // Relative to the record's own clock, so a skewed replica clock does not shorten the window.
  const ttl = Math.max(1, Math.ceil(record.rewardDeadline + retentionMarginMs - record.createdAt));
  return [
    record.decisionId,
    ttl,
    record.rewardDeadline,
    String(record.defaultReward),
    served.length,
    ...served,
    JSON.stringify(record),
    keepRecords || keepsRecord(record.decisionId) ? "" : JSON.stringify(rewardBasisOf(record)),
  ];
}

interface Queued {
  readonly key: string;
  readonly block: (string | number)[];
}

export class RedisDecisionLog implements DecisionLog {
  readonly kind = "redis";
  private readonly logKeys: readonly [string, string];
  /** Every decision appended in one turn goes in one call of log-decisions-n.lua. */
  private readonly batcher = new TurnBatcher<Queued, number>(async (batch) => {
    const keys = [...this.logKeys];
    const args: (string | number)[] = [this.options.maxLength ?? DEFAULT_DECISION_LOG_LENGTH];
    for (const q of batch) {
      keys.push(q.key);
      args.push(...q.block);
    }
    await this.redis.nbaLogDecisionsV1(keys.length, ...keys, ...args);
    return batch.map(() => 0);
  });

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisDecisionLogOptions,
  ) {
    defineDecisionCommands(redis);
    this.logKeys = logScriptKeys(options.keyPrefix);
  }

  async append(record: DecisionRecord): Promise<void> {
    const block = logBlock(
      record,
      this.options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS,
      this.options.keepRecords,
    );
    await this.batcher
      .add({ key: decisionKey(this.options.keyPrefix, record.decisionId), block })
      .catch(unavailable);
  }

  async claim(decisionId: string, ttlMs: number): Promise<boolean> {
    const set = await this.redis
      .set(
        decisionClaimKey(this.options.keyPrefix, decisionId),
        "1",
        "PX",
        Math.max(1, Math.ceil(ttlMs)),
        "NX",
      )
      .catch(unavailable);
    return set === "OK";
  }

  async get(decisionId: string): Promise<DecisionRecord | null> {
    // A hash written before the reward basis, or under DECISION_HASH_KEEPS_RECORD, holds any decision's
    // record: answer as the memory log does, so no caller comes to depend on it.
    if (!keepsRecord(decisionId)) return null;
    const json = await this.redis
      .hget(decisionKey(this.options.keyPrefix, decisionId), "rec")
      .catch(unavailable);
    return json === null ? null : (JSON.parse(json) as DecisionRecord);
  }

  async *range(options: LogRangeOptions = {}): AsyncIterable<DecisionLogEntry> {
    for await (const page of streamPages(this.redis, this.logKeys[0], options, unavailable)) {
      for (const [id, fields] of page) {
        const json = fieldOf(fields, "r");
        if (json !== undefined) yield { id, record: JSON.parse(json) as DecisionRecord };
      }
    }
  }
}
