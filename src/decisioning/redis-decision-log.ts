/**
 * The production decision log: a capped stream of every record (`{decisions}:log`) plus a hash per
 * decision (`{d:decisionId}`) kept for its reward window and a margin, for gets and reward joins.
 * The stream, the decision hash and the due set live in three Cluster slots. The hash is written at
 * once, by itself (a reward may follow the answer at any moment); the stream entries and due-set
 * members of every decision appended in one event-loop turn go together, in one script call and one
 * ZADD, because per-command client CPU, not Redis, is what an append costs the service under load.
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

/** Records per stream script call at most (a burst is sent in several calls, each a few MB at most). */
const MAX_BATCH = 256;

interface Queued {
  readonly json: string;
  readonly decisionId: string;
  readonly rewardDeadline: number;
  readonly due: boolean;
  readonly settle: (err?: unknown) => void;
}

export class RedisDecisionLog implements DecisionLog {
  readonly kind = "redis";
  private readonly streamKey: string;
  private readonly dueKey: string;
  private queue: Queued[] = [];

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
    const stored = this.redis.nbaPutDecisionV1(
      decisionKey(this.options.keyPrefix, record.decisionId),
      ttl,
      json,
      record.rewardDeadline,
      String(record.defaultReward),
      ...served,
    );
    const batched = new Promise<void>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({
        json,
        decisionId: record.decisionId,
        rewardDeadline: record.rewardDeadline,
        due: served.length > 0,
        settle: (err) => (err === undefined ? resolve() : reject(err)),
      });
      if (this.queue.length >= MAX_BATCH) this.flush();
    });
    await Promise.all([stored, batched]).catch(unavailable);
  }

  /** Sends the queued stream entries and due-set members: one script call and one ZADD for the batch. */
  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const writes: Promise<unknown>[] = [
      this.redis.nbaAppendDecisionsV1(
        this.streamKey,
        this.options.maxLength ?? DEFAULT_DECISION_LOG_LENGTH,
        ...batch.map((q) => q.json),
      ),
    ];
    const due: (string | number)[] = [];
    for (const q of batch) if (q.due) due.push(q.rewardDeadline, q.decisionId);
    if (due.length > 0) writes.push(this.redis.zadd(this.dueKey, ...due));
    Promise.all(writes).then(
      () => {
        for (const q of batch) q.settle();
      },
      (err: unknown) => {
        for (const q of batch) q.settle(err);
      },
    );
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
