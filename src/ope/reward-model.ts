/**
 * The direct method's reward model q̂(x, a): one ridge regression per action on the standardised
 * context vector (plus the action's logged prior, when every row has priors), fitted on the rows
 * where that action was logged, on rewards centred at the log's mean (an action with little data
 * shrinks towards the mean). Cross-fitted: rows are split into K seeded folds and each row is
 * predicted by the models fitted on the other folds, so no row's own noise enters its prediction.
 * Predictions are clipped to the observed reward range.
 */
import { createRandom } from "../random/seeded-random.js";
import type { LoggedDecision } from "./logged-decision.js";
import { accumulate, solveRidge } from "./ridge-regression.js";

export interface RewardModelOptions {
  /** λ on the standardised coefficients (default 1). */
  readonly ridge?: number;
  /** Cross-fitting folds; 1 fits and predicts on all rows (default 2). */
  readonly folds?: number;
  readonly seed?: number;
}

export interface RewardModel {
  /** q̂(x_i, a) for every candidate of row i, in `rows[i].candidates` order. */
  readonly predictions: readonly Float64Array[];
  readonly description: string;
  readonly ridge: number;
  readonly folds: number;
}

/** Column means and standard deviations (1 for constant columns). */
function standardiser(rows: readonly LoggedDecision[], dim: number) {
  const mean = new Float64Array(dim);
  const sd = new Float64Array(dim);
  for (const r of rows) for (let j = 0; j < dim; j++) mean[j] = mean[j]! + r.x[j]! / rows.length;
  for (const r of rows)
    for (let j = 0; j < dim; j++) sd[j] = sd[j]! + (r.x[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < dim; j++) sd[j] = sd[j]! > 1e-12 ? Math.sqrt(sd[j]!) : 1;
  return { mean, sd };
}

/** logit(p)/8 clipped to [-1, 1]: the bandit's own second prior coordinate. */
const priorLogit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.max(-8, Math.min(8, Math.log(q / (1 - q)))) / 8;
};

export function fitRewardModel(
  rows: readonly LoggedDecision[],
  options: RewardModelOptions = {},
): RewardModel {
  const lambda = options.ridge ?? 1;
  const folds = Math.max(1, Math.min(options.folds ?? 2, rows.length));
  const n = rows.length;
  const dim = rows[0]?.x.length ?? 0;
  const withPrior = n > 0 && rows.every((r) => r.priors !== undefined);
  // [1, standardised x, prior, logit(prior)/8] (the prior coordinates as the bandit's arms have them).
  const d = 1 + dim + (withPrior ? 2 : 0);
  const { mean, sd } = standardiser(rows, dim);
  const context = new Float64Array(n * dim);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let ybar = 0;
  rows.forEach((r, i) => {
    for (let j = 0; j < dim; j++) context[i * dim + j] = (r.x[j]! - mean[j]!) / sd[j]!;
    lo = Math.min(lo, r.reward);
    hi = Math.max(hi, r.reward);
    ybar += r.reward / n;
  });
  const priors = rows.map((r) => r.priors);
  const features = (i: number, k: number, z: Float64Array): Float64Array => {
    z[0] = 1;
    const base = i * dim;
    for (let j = 0; j < dim; j++) z[1 + j] = context[base + j]!;
    if (withPrior) {
      const p = priors[i]![k]!;
      z[1 + dim] = p;
      z[2 + dim] = priorLogit(p);
    }
    return z;
  };

  // Balanced seeded folds: a shuffled order, dealt out round-robin.
  const fold = new Int32Array(n);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRandom(options.seed ?? 1).fork("ope-reward-model-folds");
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  order.forEach((row, pos) => {
    fold[row] = pos % folds;
  });

  // Per action: the rows it was logged on (training) and every (row, candidate position) to predict.
  const trained = new Map<string, number[]>();
  const wanted = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const a = r.candidates[r.action]!;
    (trained.get(a) ?? trained.set(a, []).get(a)!).push(i);
    r.candidates.forEach((c, k) => {
      (wanted.get(c) ?? wanted.set(c, []).get(c)!).push(i, k);
    });
  });

  const predictions = rows.map((r) => new Float64Array(r.candidates.length));
  const z = new Float64Array(d);
  for (const [action, targets] of wanted) {
    const a = Array.from({ length: folds }, () => new Float64Array(d * d));
    const b = Array.from({ length: folds }, () => new Float64Array(d));
    for (const i of trained.get(action) ?? []) {
      const r = rows[i]!;
      accumulate(a[fold[i]!]!, b[fold[i]!]!, features(i, r.action, z), r.reward - ybar);
    }
    const thetas: Float64Array[] = [];
    for (let k = 0; k < folds; k++) {
      const sumA = new Float64Array(d * d);
      const sumB = new Float64Array(d);
      for (let f = 0; f < folds; f++) {
        if (folds > 1 && f === k) continue;
        for (let j = 0; j < d * d; j++) sumA[j] = sumA[j]! + a[f]![j]!;
        for (let j = 0; j < d; j++) sumB[j] = sumB[j]! + b[f]![j]!;
      }
      thetas.push(solveRidge(sumA, sumB, lambda));
    }
    for (let t = 0; t < targets.length; t += 2) {
      const i = targets[t]!;
      const k = targets[t + 1]!;
      const theta = thetas[fold[i]!]!;
      const base = i * dim;
      let q = ybar + theta[0]!;
      for (let j = 0; j < dim; j++) q += theta[1 + j]! * context[base + j]!;
      if (withPrior) {
        const p = priors[i]![k]!;
        q += theta[1 + dim]! * p + theta[2 + dim]! * priorLogit(p);
      }
      predictions[i]![k] = q < lo ? lo : q > hi ? hi : q;
    }
  }
  return {
    predictions,
    ridge: lambda,
    folds,
    description:
      `per-action ridge regression (λ = ${lambda}) on ${dim} standardised context features` +
      `${withPrior ? " and the logged prior (p, logit p)" : ""}, ${folds === 1 ? "fitted in-sample" : `${folds}-fold cross-fitted`}` +
      ", predictions clipped to the observed reward range",
  };
}
