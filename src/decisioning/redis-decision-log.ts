/**
 * The production decision log: a capped stream of every record (`{decisions}:log`) plus a hash per
 * decision (`{d:decisionId}`) kept for its reward window and a margin, for gets and reward joins.
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
import { defineDecisionCommands } from "./decision-commands.js";
import { decisionClaimKey, decisionKey, decisionStreamKeys, rewardKeys } from "./decision-keys.js";
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

/** Decisions per script call at most (a burst goes in several calls, each a few MB at most). */
const MAX_BATCH = 256;

interface Queued {
  readonly decisionId: string;
  /** This decision's arguments of log-decisions-n.lua after its id. */
  readonly put: (string | number)[];
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

  append(record: DecisionRecord): Promise<void> {
    if (!Number.isFinite(record.defaultReward)) {
      return Promise.reject(new TypeError("defaultReward must be a finite number"));
    }
    const json = JSON.stringify(record);
    const served = servedActionIds(record);
    const margin = this.options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS;
    // Relative to the record's own clock, so a skewed replica clock does not shorten the window.
    const ttl = Math.max(1, Math.ceil(record.rewardDeadline + margin - record.createdAt));
    return new Promise<void>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush());
      this.queue.push({
        decisionId: record.decisionId,
        put: [ttl, record.rewardDeadline, String(record.defaultReward), served.length, ...served, json],
        settle: (err) => (err === undefined ? resolve() : reject(err)),
      });
      if (this.queue.length >= MAX_BATCH) this.flush();
    }).catch(unavailable);
  }

  /** Logs the queued decisions in one script call (log-decisions-n.lua): one command, each record sent once. */
  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const keys = [this.streamKey, this.dueKey];
    const args: (string | number)[] = [this.options.maxLength ?? DEFAULT_DECISION_LOG_LENGTH];
    for (const q of batch) {
      keys.push(decisionKey(this.options.keyPrefix, q.decisionId));
      args.push(q.decisionId, ...q.put);
    }
    this.redis.nbaLogDecisionsV1(keys.length, ...keys, ...args).then(
      () => {
        for (const q of batch) q.settle();
      },
      (err: unknown) => {
        for (const q of batch) q.settle(err);
      },
    );
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
