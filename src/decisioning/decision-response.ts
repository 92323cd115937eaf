/**
 * The JSON a journey engine gets back, built from a decision record so a repeated idempotency key
 * returns exactly what the first call returned.
 */
import type { DecisionRecord } from "./decision-record.js";

export type Explanations = NonNullable<DecisionRecord["explanations"]>;
export type ActionExplanation = Explanations[string];

export function decisionResponse(record: DecisionRecord) {
  const explanations: Explanations = record.explanations ?? {};
  return {
    decisionId: record.decisionId,
    customerId: record.customerId,
    journey: record.journey,
    step: record.step,
    channel: record.channel,
    actions: record.chosen.map((c) => ({
      ...c,
      name: explanations[c.actionId]?.name ?? c.actionId,
      priority: explanations[c.actionId]?.priority,
      reasons: explanations[c.actionId]?.reasons ?? [],
    })),
    excluded: record.excluded,
    policyVersion: record.policyVersion,
    modelVersions: record.modelVersions,
    banditSnapshotVersion: record.snapshotVersion,
    algorithm: record.algorithm,
    fallback: record.fallback,
    rewardDeadline: new Date(record.rewardDeadline).toISOString(),
    ...(record.replayed ? { replayed: true } : {}),
  };
}

export type DecisionResponse = ReturnType<typeof decisionResponse>;
