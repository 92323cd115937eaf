/**
 * Every Redis key of the contact history, the decision log and the reward join, built in one place.
 * Each operation touches one Redis Cluster slot: per-customer keys carry `{customerId}`, per-decision
 * keys `{d:decisionId}`, and the global streams their own tag. Specified in docs/decision-log.md.
 */

/** String: the customer's packed contact history (impressions and last rejections). Expires past the longest rule. */
export function contactKey(prefix: string, customerId: string): string {
  return `${prefix}:{${customerId}}:contact`;
}

/**
 * Hash: one decision, kept for its reward window plus a margin: `j` (its RewardBasis as JSON), `dl`
 * (reward deadline, ms), `dr` (default reward), `a:<actionId>` per served action ("" until a reward
 * joins, then the reward as compact JSON), and `rec` (the whole record as JSON) only for a decision
 * made under an idempotency key.
 */
export function decisionKey(prefix: string, decisionId: string): string {
  return `${prefix}:{d:${decisionId}}`;
}

/** String: a claim on a decision id while its decision is being made (idempotency keys), with a TTL. */
export function decisionClaimKey(prefix: string, decisionId: string): string {
  return `${prefix}:{d:${decisionId}}:claim`;
}

export interface DecisionStreamKeys {
  /** Stream: every decision record (field `r`, JSON), approximately capped. */
  readonly log: string;
}

export function decisionStreamKeys(prefix: string): DecisionStreamKeys {
  return { log: `${prefix}:{decisions}:log` };
}

/** One hash tag `{rewards}`: the emit script moves between them atomically. */
export interface RewardKeys {
  /** Stream: joined rewards for the learner (field `r`, a JoinedReward as JSON), approximately capped. */
  readonly log: string;
  /** Sorted set: decision ids awaiting their default reward, scored by reward deadline (or claim lease). */
  readonly due: string;
  /** Sorted set: `decisionId\nactionId` of every emitted reward, scored by when the marker may go. */
  readonly sent: string;
}

export function rewardKeys(prefix: string): RewardKeys {
  const base = `${prefix}:{rewards}`;
  return { log: `${base}:log`, due: `${base}:due`, sent: `${base}:sent` };
}

/** The two keys every decision-logging script writes besides the decision hashes: the stream, the due set. */
export function logScriptKeys(prefix: string): readonly [stream: string, due: string] {
  return [decisionStreamKeys(prefix).log, rewardKeys(prefix).due];
}
