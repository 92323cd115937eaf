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
    // Fields listed rather than spread: an object spread per action showed in the service's profile.
    // The answer ranks what it serves 1..n; the record keeps the policy's ranks (a refused one leaves a gap).
    actions: record.chosen.map((c, i) => {
      const e = explanations[c.actionId];
      return {
        actionId: c.actionId,
        businessUnit: c.businessUnit,
        rank: i + 1,
        score: c.score,
        propensity: c.propensity,
        probability: c.probability,
        value: c.value,
        name: e?.name ?? c.actionId,
        priority: e?.priority,
        reasons: e?.reasons ?? [],
      };
    }),
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
