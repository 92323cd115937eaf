/**
 * The production decision log: a capped stream of every record (`{decisions}:log`) plus a hash per
 * decision (`{d:decisionId}`) kept for its reward window and a margin, for gets and reward joins.
 * The stream, the decision hash and the due set live in three Cluster slots, so one append is three
 * commands sent together (one round trip), not one script.
 */
import type { Redis } from "ioredis";
import { defineDecisionCommands } from "./decision-commands.js";
import { decisionKey, decisionStreamKeys, rewardKeys } from "./decision-keys.js";
import {
  DEFAULT_DECISION_LOG_LENGTH,
  DEFAULT_RETENTION_MARGIN_MS,
  type DecisionLog,
  type DecisionLogEntry,
  type LogRangeOptions,
} from "./decision-log.js";
import type { DecisionRecord } from "./decision-record.js";
import { servedActionIds } from "./reward-join.js";
import { storeUnavailable } from "./store-unavailable.js";
import { fieldOf, streamPages } from "./stream-pages.js";

const unavailable = storeUnavailable("decision log");

export interface RedisDecisionLogOptions {
  readonly keyPrefix: string;
  /** Approximate cap of the decision stream. Default 1,000,000. */
  readonly maxLength?: number;
  /** Kept past the reward deadline. Default one day; use the reward store's value. */
  readonly retentionMarginMs?: number;
}

export class RedisDecisionLog implements DecisionLog {
  readonly kind = "redis";
  private readonly streamKey: string;
  private readonly dueKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisDecisionLogOptions,
  ) {
    defineDecisionCommands(redis);
    this.streamKey = decisionStreamKeys(options.keyPrefix).log;
    this.dueKey = rewardKeys(options.keyPrefix).due;
  }

  async append(record: DecisionRecord): Promise<void> {
    if (!Number.isFinite(record.defaultReward)) throw new TypeError("defaultReward must be a finite number");
    const json = JSON.stringify(record);
    const served = servedActionIds(record);
    const margin = this.options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS;
    // Relative to the record's own clock, so a skewed replica clock does not shorten the window.
    const ttl = Math.max(1, Math.ceil(record.rewardDeadline + margin - record.createdAt));
    // Three independent commands issued in one tick: one round trip without a pipeline object
    // (measured ~30 us less Node CPU per append than ioredis pipeline(), and each command is routed
    // to its own slot's node under Redis Cluster, where a pipeline must stay on one node).
    const writes: Promise<unknown>[] = [
      this.redis.xadd(
        this.streamKey,
        "MAXLEN",
        "~",
        this.options.maxLength ?? DEFAULT_DECISION_LOG_LENGTH,
        "*",
        "r",
        json,
      ),
      this.redis.nbaPutDecisionV1(
        decisionKey(this.options.keyPrefix, record.decisionId),
        ttl,
        json,
        record.rewardDeadline,
        String(record.defaultReward),
        ...served,
      ),
    ];
    if (served.length > 0)
      writes.push(this.redis.zadd(this.dueKey, record.rewardDeadline, record.decisionId));
    await Promise.all(writes).catch(unavailable);
  }

  async get(decisionId: string): Promise<DecisionRecord | null> {
    const json = await this.redis
      .hget(decisionKey(this.options.keyPrefix, decisionId), "rec")
      .catch(unavailable);
    return json === null ? null : (JSON.parse(json) as DecisionRecord);
  }

  async *range(options: LogRangeOptions = {}): AsyncIterable<DecisionLogEntry> {
    for await (const page of streamPages(this.redis, this.streamKey, options, unavailable)) {
      for (const [id, fields] of page) {
        const json = fieldOf(fields, "r");
        if (json !== undefined) yield { id, record: JSON.parse(json) as DecisionRecord };
      }
    }
  }
}
