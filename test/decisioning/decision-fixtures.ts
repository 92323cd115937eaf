/** Builders for decision-log and reward tests: records that state only what a test cares about. */
import { randomUUID } from "node:crypto";
import { IDEMPOTENT_ID_PREFIX } from "../../src/decisioning/decision-log.js";
import type { ChosenAction, DecisionRecord } from "../../src/decisioning/decision-record.js";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function uniqueId(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** A decision id as made from an idempotency key: such a decision keeps its whole record by id. */
export function keyedId(): string {
  return `${IDEMPOTENT_ID_PREFIX}${randomUUID().slice(0, 8)}`;
}

export function chosen(
  actionId: string,
  businessUnit: string,
  rank: number,
  probability: number,
): ChosenAction {
  return { actionId, businessUnit, rank, score: 10 / rank, propensity: 0.1 * rank, probability, value: 100 };
}

/** A decision made at `createdAt` (default now) with a one-hour window serving two actions. */
export function decisionRecord(overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  const createdAt = overrides.createdAt ?? Date.now();
  return {
    decisionId: uniqueId("d"),
    customerId: uniqueId("c"),
    journey: "servicing",
    step: "login",
    channel: "web",
    context: { device: "mobile", basket: 12.5, returning: true },
    createdAt,
    rewardDeadline: createdAt + HOUR,
    defaultReward: 0,
    policyVersion: "p-1",
    modelVersions: { churn: "m-1", propensity: "m-2" },
    snapshotVersion: "s-7",
    algorithm: "thompson",
    fallback: false,
    stages: [
      { stage: "candidates", actionIds: ["card_cashback", "loan_personal", "savings_round_up"] },
      { stage: "eligibility", actionIds: ["card_cashback", "loan_personal"] },
    ],
    excluded: [{ actionId: "savings_round_up", stage: "eligibility", reason: "not eligible" }],
    chosen: [chosen("card_cashback", "cards", 1, 0.7), chosen("loan_personal", "loans", 2, 0.3)],
    candidateProbabilities: { card_cashback: 0.7, loan_personal: 0.3 },
    banditContext: [1, 0.25, -0.5, 0.125],
    priors: { card_cashback: 0.1, loan_personal: 0.2 },
    ...overrides,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
