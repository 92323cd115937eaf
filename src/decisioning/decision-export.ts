/**
 * The decision export (`npm run decisions:export`): each logged decision with the rewards joined to
 * it, as one JSON object per line, for off-policy evaluation and audits.
 */
import type { DecisionLog } from "./decision-log.js";
import type { DecisionRecord, JoinedReward } from "./decision-record.js";
import type { RewardStore } from "./reward-store.js";

export interface ExportedReward {
  readonly actionId: string;
  readonly reward: number;
  readonly outcome?: string;
  readonly source: JoinedReward["source"];
  /** Epoch ms. */
  readonly joinedAt: number;
}

/** A decision record plus its joined rewards (posted or default; none yet while its window is open). */
export type ExportedDecision = DecisionRecord & { readonly rewards: readonly ExportedReward[] };

export interface ExportOptions {
  /** Log time (epoch ms), inclusive. */
  readonly since?: number;
  readonly until?: number;
  readonly limit?: number;
}

/**
 * Decisions in log order. Rewards are read from the reward stream from `since` on (a reward is
 * always logged after its decision) and held by decision id while the decisions stream past.
 */
export async function* exportDecisions(
  log: DecisionLog,
  rewards: RewardStore,
  options: ExportOptions = {},
): AsyncGenerator<ExportedDecision> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (limit <= 0) return;
  const byDecision = new Map<string, ExportedReward[]>();
  for await (const { reward } of rewards.range(options.since === undefined ? {} : { since: options.since })) {
    const list = byDecision.get(reward.decisionId) ?? [];
    list.push({
      actionId: reward.actionId,
      reward: reward.reward,
      ...(reward.outcome === undefined ? {} : { outcome: reward.outcome }),
      source: reward.source,
      joinedAt: reward.joinedAt,
    });
    byDecision.set(reward.decisionId, list);
  }
  let count = 0;
  for await (const { record } of log.range({ since: options.since, until: options.until })) {
    yield { ...record, rewards: byDecision.get(record.decisionId) ?? [] };
    if (++count >= limit) return;
  }
}
