/** Builders for the OPE tests: logged rows, service export rows and small simulated worlds. */
import type { LoggedDecision } from "../../src/ope/index.js";
import { createRandom } from "../../src/random/seeded-random.js";

let rowCount = 0;

export function loggedRow(
  overrides: Partial<LoggedDecision> & Pick<LoggedDecision, "action" | "reward">,
): LoggedDecision {
  const candidates = overrides.candidates ?? ["a", "b"];
  const logging =
    overrides.loggingProbabilities ?? new Float64Array(candidates.length).fill(1 / candidates.length);
  return {
    line: 0,
    id: `r${++rowCount}`,
    x: new Float64Array([0]),
    candidates,
    propensity: logging[overrides.action]!,
    loggingProbabilities: logging,
    ...overrides,
  };
}

/** One decision as `npm run decisions:export` writes it (the fields OPE reads, plus some it ignores). */
export function exportRow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    decisionId: "d-1",
    customerId: "c-1",
    journey: "cross_sell",
    step: "product_page",
    channel: "web",
    context: { device: "mobile" },
    createdAt: 1_781_517_600_000,
    rewardDeadline: 1_781_776_800_000,
    defaultReward: 0,
    policyVersion: "p1",
    modelVersions: {},
    snapshotVersion: "cold",
    algorithm: "epsilon_greedy",
    fallback: false,
    stages: [],
    excluded: [],
    chosen: [
      {
        actionId: "card_cashback",
        businessUnit: "cards",
        rank: 1,
        score: 9,
        propensity: 0.1,
        probability: 0.7,
        value: 120,
      },
    ],
    candidateProbabilities: { card_cashback: 0.7, loan_personal: 0.3 },
    banditContext: [1, 0.5, -0.25],
    priors: { card_cashback: 0.1, loan_personal: 0.05 },
    rewards: [{ actionId: "card_cashback", reward: 1, outcome: "accepted", source: "api", joinedAt: 1 }],
    ...overrides,
  };
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * A small contextual world: 3 actions, a 2-dimensional context x ~ N(0, I), true
 * P(accept | x, a) = σ(c_a + β_a·x); the logging policy is a softmax over a noisy score, the target a
 * sharper softmax over another one. Everything exact: μ, π and the true value.
 */
export const WORLD = {
  actions: ["a", "b", "c"],
  intercepts: [-1.5, -1, -2],
  betas: [
    [0.8, -0.3],
    [-0.5, 0.6],
    [1.2, 0.9],
  ],
};

export function trueP(x: ArrayLike<number>): number[] {
  return WORLD.intercepts.map((c, a) =>
    sigmoid(c + WORLD.betas[a]![0]! * x[0]! + WORLD.betas[a]![1]! * x[1]!),
  );
}

function softmax(scores: readonly number[], temperature: number): number[] {
  const m = Math.max(...scores);
  const w = scores.map((s) => Math.exp((s - m) / temperature));
  const t = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / t);
}

export const loggingPolicy = (x: ArrayLike<number>) => softmax([0.2 * x[0]!, 0.1, -0.2 * x[1]!], 1);
export const targetPolicy = (x: ArrayLike<number>) => softmax(trueP(x), 0.05);

/** The target's value E_x Σ_a π(a|x) p(x, a), by Monte Carlo over many contexts (fixed seed). */
export function targetTruth(draws = 200_000): number {
  const rng = createRandom(99).fork("truth");
  let v = 0;
  for (let i = 0; i < draws; i++) {
    const x = [rng.normal(), rng.normal()];
    const p = trueP(x);
    const pi = targetPolicy(x);
    for (let a = 0; a < 3; a++) v += (pi[a]! * p[a]!) / draws;
  }
  return v;
}

/** n decisions logged by `loggingPolicy`, rewards drawn from the true probabilities. */
export function simulateLog(n: number, seed: number): LoggedDecision[] {
  const rng = createRandom(seed).fork("log");
  const rows: LoggedDecision[] = [];
  for (let i = 0; i < n; i++) {
    const x = new Float64Array([rng.normal(), rng.normal()]);
    const mu = Float64Array.from(loggingPolicy(x));
    let u = rng.next();
    let a = 0;
    while (a < 2 && u >= mu[a]!) u -= mu[a++]!;
    rows.push({
      line: i + 1,
      id: `d${i}`,
      x,
      candidates: WORLD.actions,
      action: a,
      propensity: mu[a]!,
      loggingProbabilities: mu,
      reward: rng.next() < trueP(x)[a]! ? 1 : 0,
    });
  }
  return rows;
}
