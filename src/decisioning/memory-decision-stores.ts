/** Wires the embedded decision log, reward store and reward log together (they share state in memory). */
import { DEFAULT_DECISION_LOG_LENGTH, DEFAULT_RETENTION_MARGIN_MS } from "./decision-log.js";
import type { JoinedReward } from "./decision-record.js";
import { MemoryDecisionLog } from "./memory-decision-log.js";
import { MemoryLog } from "./memory-log.js";
import { MemoryRewardLogSource } from "./memory-reward-source.js";
import { MemoryRewardStore } from "./memory-reward-store.js";
import { DEFAULT_REWARD_LOG_LENGTH } from "./reward-store.js";

export interface MemoryDecisionStoresOptions {
  readonly decisionLogLength?: number;
  readonly rewardLogLength?: number;
  readonly retentionMarginMs?: number;
  readonly now?: () => number;
}

export interface MemoryDecisionStores {
  readonly decisionLog: MemoryDecisionLog;
  readonly rewardStore: MemoryRewardStore;
  /** The in-process reward stream; `rewardSource()` reads it like a consumer group. */
  readonly rewardLog: MemoryLog<JoinedReward>;
  rewardSource(options?: { minIdleMs?: number }): MemoryRewardLogSource;
}

export function createMemoryDecisionStores(options: MemoryDecisionStoresOptions = {}): MemoryDecisionStores {
  const now = options.now ?? Date.now;
  const decisionLog = new MemoryDecisionLog({
    maxLength: options.decisionLogLength ?? DEFAULT_DECISION_LOG_LENGTH,
    retentionMarginMs: options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS,
    now,
  });
  const rewardLog = new MemoryLog<JoinedReward>(options.rewardLogLength ?? DEFAULT_REWARD_LOG_LENGTH, now);
  return {
    decisionLog,
    rewardStore: new MemoryRewardStore(decisionLog, rewardLog),
    rewardLog,
    rewardSource: (o = {}) => new MemoryRewardLogSource(rewardLog, { ...o, now }),
  };
}
