/**
 * Pure helpers of the reward join shared by both reward stores: the compact form a reward is stored
 * in on its decision, what a decision keeps for its reward window (RewardBasis), and the
 * JoinedReward built from it for the learner.
 */
import type { DecisionRecord, JoinedReward } from "./decision-record.js";

/** A reward as stored on its decision: `{"r":reward,"o":outcome,"s":source,"t":joinedAt}`. */
export interface StoredReward {
  readonly r: number;
  readonly o?: string;
  readonly s: JoinedReward["source"];
  readonly t: number;
}

export function encodeStoredReward(reward: number, outcome: string | undefined, joinedAt: number): string {
  // Key order matters: join-reward-1.lua recognises a default by the text "s":"default".
  const stored: StoredReward = {
    r: reward,
    ...(outcome === undefined ? {} : { o: outcome }),
    s: "api",
    t: joinedAt,
  };
  return JSON.stringify(stored);
}

export function decodeStoredReward(text: string): StoredReward {
  return JSON.parse(text) as StoredReward;
}

export function servedActionIds(record: DecisionRecord): string[] {
  return record.chosen.map((c) => c.actionId);
}

/**
 * What a decision keeps by id for its reward window (72 hours in the sample policy, plus a margin):
 * enough to join a reward and give the learner its view. The whole record (features, stages,
 * exclusions, explanations) stays in the decision log's stream only, except for a decision made under
 * an idempotency key, which keeps it to answer a replay. A Redis hash with the basis is 1.2 KB against
 * 5.7 KB with the record (docs/decision-log.md): at 100 decisions a second for 96 hours, ~40 GB
 * against ~200 GB.
 */
export interface RewardBasis {
  readonly decisionId: string;
  readonly customerId: string;
  /** Epoch ms. */
  readonly rewardDeadline: number;
  readonly algorithm: string;
  readonly snapshotVersion: string;
  readonly banditContext: readonly number[];
  /** The served actions in rank order, each with the probability the policy chose it with and its prior. */
  readonly served: readonly {
    readonly actionId: string;
    readonly probability: number;
    readonly prior: number;
  }[];
}

export function rewardBasisOf(record: DecisionRecord): RewardBasis {
  return {
    decisionId: record.decisionId,
    customerId: record.customerId,
    rewardDeadline: record.rewardDeadline,
    algorithm: record.algorithm,
    snapshotVersion: record.snapshotVersion,
    banditContext: record.banditContext,
    served: record.chosen.map((c) => ({
      actionId: c.actionId,
      probability: c.probability ?? record.candidateProbabilities[c.actionId] ?? 0,
      prior: record.priors[c.actionId] ?? c.propensity ?? 0,
    })),
  };
}

/** A stored basis, or a whole record (what decisions stored before the basis existed keep). */
export function parseRewardBasis(json: string): RewardBasis {
  const stored = JSON.parse(json) as RewardBasis | DecisionRecord;
  return "chosen" in stored ? rewardBasisOf(stored) : stored;
}

/** The learner's view of a reward for served action `actionId`: the logged probability, context and prior. */
export function joinedRewardOf(basis: RewardBasis, actionId: string, stored: StoredReward): JoinedReward {
  const served = basis.served.find((s) => s.actionId === actionId);
  return {
    decisionId: basis.decisionId,
    actionId,
    reward: stored.r,
    ...(stored.o === undefined ? {} : { outcome: stored.o }),
    source: stored.s,
    probability: served?.probability ?? 0,
    banditContext: basis.banditContext,
    prior: served?.prior ?? 0,
    algorithm: basis.algorithm,
    snapshotVersion: basis.snapshotVersion,
    customerId: basis.customerId,
    joinedAt: stored.t,
  };
}
