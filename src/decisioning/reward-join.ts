/**
 * Pure helpers of the reward join shared by both reward stores: the compact form a reward is stored
 * in on its decision, and the JoinedReward built from a decision record for the learner.
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

/** The learner's view of a reward for `actionId` of `record`: the logged probability, context and prior. */
export function joinedRewardOf(record: DecisionRecord, actionId: string, stored: StoredReward): JoinedReward {
  const chosen = record.chosen.find((c) => c.actionId === actionId);
  return {
    decisionId: record.decisionId,
    actionId,
    reward: stored.r,
    ...(stored.o === undefined ? {} : { outcome: stored.o }),
    source: stored.s,
    probability: chosen?.probability ?? record.candidateProbabilities[actionId] ?? 0,
    banditContext: record.banditContext,
    prior: record.priors[actionId] ?? chosen?.propensity ?? 0,
    algorithm: record.algorithm,
    snapshotVersion: record.snapshotVersion,
    customerId: record.customerId,
    joinedAt: stored.t,
  };
}
