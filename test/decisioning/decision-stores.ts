/** What the decision-log, reward-store and reward-source contracts run against: one set of coupled stores. */
import type { DecisionLog } from "../../src/decisioning/decision-log.js";
import type { DecisionRecord } from "../../src/decisioning/decision-record.js";
import type { RewardLogEntry, RewardStore } from "../../src/decisioning/reward-store.js";

export interface RewardSourceLike {
  read(max: number, blockMs: number): Promise<RewardLogEntry[]>;
  ack(ids: readonly string[]): Promise<void>;
}

export interface DecisionStores {
  readonly log: DecisionLog;
  readonly rewards: RewardStore;
  /** Another reward store over the same data (Redis: its own connection), as a second process would have. */
  readonly rewardsElsewhere: RewardStore;
  source(options: { minIdleMs: number }): RewardSourceLike;
}

/** Fresh, empty stores per call (their own key prefix on Redis). */
export type DecisionStoresFactory = (options?: { retentionMarginMs?: number }) => DecisionStores;

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * The records a log holds, by decision id (the last entry of an id logged twice): how a test finds a
 * decision without an idempotency key, whose whole record is in the log only.
 */
export async function loggedRecords(log: DecisionLog): Promise<Map<string, DecisionRecord>> {
  const byId = new Map<string, DecisionRecord>();
  for await (const entry of log.range()) byId.set(entry.record.decisionId, entry.record);
  return byId;
}
