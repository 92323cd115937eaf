/**
 * The direct method's reward model q̂(x, a): one ridge regression per action on the standardised
 * context vector (plus the action's logged prior, when every row has priors), fitted on the rows
 * where that action was logged, on rewards centred at the log's mean (an action with little data
 * shrinks towards the mean). Cross-fitted: rows are split into K seeded folds and each row is
 * predicted by the models fitted on the other folds, so no row's own noise enters its prediction.
 * Predictions are clipped to the observed reward range.
 *
 * `refit(weights)` fits the same model again on re-weighted rows (bootstrap multiplicities): same
 * folds, standardisation and clipping range, so the bootstrap can put the model's own variance into
 * the DM and DR intervals. Refits are cached by their weights, so targets valued on the same rows with
 * the same bootstrap seed share them.
 */
import { createRandom } from "../random/seeded-random.js";
import type { LoggedDecision } from "./logged-decision.js";
import { solveRidge } from "./ridge-regression.js";

export interface RewardModelOptions {
  /** λ on the standardised coefficients (default 1). */
  readonly ridge?: number;
  /** Cross-fitting folds; 1 fits and predicts on all rows (default 2). */
  readonly folds?: number;
  readonly seed?: number;
}

/** A fit on re-weighted rows: q̂(x_i, candidate k of row i). */
export interface RewardRefit {
  predict(row: number, candidate: number): number;
}

export interface RewardModel {
  /** q̂(x_i, a) for every candidate of row i, in `rows[i].candidates` order. */
  readonly predictions: readonly Float64Array[];
  readonly description: string;
  readonly ridge: number;
  readonly folds: number;
  /**
   * The model fitted again with row i counted `weights[i]` times (same folds, standardisation and
   * clipping range; `weights` has one entry per row the model was fitted on).
   */
  refit(weights: Uint32Array): RewardRefit;
}

/** logit(p)/8 clipped to [-1, 1]: the bandit's own second prior coordinate. */
const priorLogit = (p: number) => {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.max(-8, Math.min(8, Math.log(q / (1 - q)))) / 8;
};

/** Adds c·z zᵀ to the upper triangle of `a` and c·z·y to `b` (z dense: no zero tests). */
function denseAccumulate(a: Float64Array, b: Float64Array, z: Float64Array, y: number, c: number): void {
  const d = z.length;
  for (let i = 0; i < d; i++) {
    const ci = c * z[i]!;
    b[i] = b[i]! + ci * y;
    const row = i * d;
    for (let j = i; j < d; j++) a[row + j] = a[row + j]! + ci * z[j]!;
  }
}

/** Refits kept per model (each one is actions × folds × d numbers). */
const REFIT_CACHE_SIZE = 2048;

/** Two 32-bit hashes of the weights (FNV-1a and a multiplicative one) and the length, as a key. */
function weightsKey(weights: Uint32Array): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ (w + i), 0x85ebca6b) ^ (h2 >>> 13);
  }
  return `${weights.length}:${(h1 >>> 0).toString(36)}:${(h2 >>> 0).toString(36)}`;
}

/** The design, prepared once: standardised contexts, prior coordinates, folds, actions. */
class Design {
  readonly n: number;
  readonly dim: number;
  readonly d: number;
  readonly withPrior: boolean;
  readonly folds: number;
  readonly lambda: number;
  /** Standardised contexts, row-major n × dim. */
  private readonly context: Float64Array;
  /** Per row, the action index of every candidate. */
  private readonly candidateAction: Int32Array[];
  /** Per row, p and logit(p)/8 of every candidate (when `withPrior`). */
  private readonly priorP: (Float64Array | undefined)[];
  private readonly priorL: (Float64Array | undefined)[];
  readonly fold: Int32Array;
  readonly actions: number;
  /** Per action, the rows it was logged on. */
  private readonly trained: Int32Array[];
  private readonly reward: Float64Array;
  /** Per row, the candidate position of the logged action. */
  private readonly logged: Int32Array;
  readonly lo: number;
  readonly hi: number;

  constructor(rows: readonly LoggedDecision[], options: RewardModelOptions) {
    this.lambda = options.ridge ?? 1;
    const n = rows.length;
    this.n = n;
    this.folds = Math.max(1, Math.min(options.folds ?? 2, n));
    const dim = rows[0]?.x.length ?? 0;
    this.dim = dim;
    this.withPrior = n > 0 && rows.every((r) => r.priors !== undefined);
    // [1, standardised x, prior, logit(prior)/8] (the prior coordinates as the bandit's arms have them).
    this.d = 1 + dim + (this.withPrior ? 2 : 0);

    const mean = new Float64Array(dim);
    const sd = new Float64Array(dim);
    for (const r of rows) for (let j = 0; j < dim; j++) mean[j] = mean[j]! + r.x[j]! / n;
    for (const r of rows) for (let j = 0; j < dim; j++) sd[j] = sd[j]! + (r.x[j]! - mean[j]!) ** 2 / n;
    for (let j = 0; j < dim; j++) sd[j] = sd[j]! > 1e-12 ? Math.sqrt(sd[j]!) : 1;
    this.context = new Float64Array(n * dim);
    this.reward = new Float64Array(n);
    this.logged = Int32Array.from(rows, (r) => r.action);
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    const index = new Map<string, number>();
    const trained: number[][] = [];
    const actionOf = (a: string) => {
      let k = index.get(a);
      if (k === undefined) {
        k = index.size;
        index.set(a, k);
        trained.push([]);
      }
      return k;
    };
    this.candidateAction = [];
    this.priorP = [];
    this.priorL = [];
    rows.forEach((r, i) => {
      for (let j = 0; j < dim; j++) this.context[i * dim + j] = (r.x[j]! - mean[j]!) / sd[j]!;
      this.reward[i] = r.reward;
      lo = Math.min(lo, r.reward);
      hi = Math.max(hi, r.reward);
      this.candidateAction.push(Int32Array.from(r.candidates, actionOf));
      trained[this.candidateAction[i]![r.action]!]!.push(i);
      this.priorP.push(this.withPrior ? Float64Array.from(r.priors!) : undefined);
      this.priorL.push(this.withPrior ? Float64Array.from(r.priors!, priorLogit) : undefined);
    });
    this.lo = lo;
    this.hi = hi;
    this.actions = index.size;
    this.trained = trained.map((t) => Int32Array.from(t));

    // Balanced seeded folds: a shuffled order, dealt out round-robin.
    this.fold = new Int32Array(n);
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const rng = createRandom(options.seed ?? 1).fork("ope-reward-model-folds");
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    order.forEach((row, pos) => {
      this.fold[row] = pos % this.folds;
    });
  }

  /** The design row z of (row i, candidate k). */
  private features(i: number, k: number, z: Float64Array): Float64Array {
    const { dim } = this;
    z[0] = 1;
    const base = i * dim;
    for (let j = 0; j < dim; j++) z[1 + j] = this.context[base + j]!;
    if (this.withPrior) {
      z[1 + dim] = this.priorP[i]![k]!;
      z[2 + dim] = this.priorL[i]![k]!;
    }
    return z;
  }

  /**
   * Fits every action's per-fold models with row i counted `weights[i]` times (once each when
   * absent). Returns the weighted mean reward and the coefficients, flat [action][fold][d].
   */
  fit(weights?: Uint32Array): { ybar: number; theta: Float64Array } {
    const { n, d, folds, lambda } = this;
    let ybar = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = weights ? weights[i]! : 1;
      ybar += c * this.reward[i]!;
      total += c;
    }
    ybar = total > 0 ? ybar / total : 0;
    const theta = new Float64Array(this.actions * folds * d);
    const z = new Float64Array(d);
    const a = Array.from({ length: folds }, () => new Float64Array(d * d));
    const b = Array.from({ length: folds }, () => new Float64Array(d));
    const sumA = new Float64Array(d * d);
    const sumB = new Float64Array(d);
    for (let action = 0; action < this.actions; action++) {
      for (let f = 0; f < folds; f++) {
        a[f]!.fill(0);
        b[f]!.fill(0);
      }
      const rows = this.trained[action]!;
      if (rows.length === 0) continue; // never logged: every prediction is the mean
      for (let t = 0; t < rows.length; t++) {
        const i = rows[t]!;
        const c = weights ? weights[i]! : 1;
        if (c === 0) continue;
        const f = this.fold[i]!;
        denseAccumulate(a[f]!, b[f]!, this.features(i, this.logged[i]!, z), this.reward[i]! - ybar, c);
      }
      for (let k = 0; k < folds; k++) {
        sumA.fill(0);
        sumB.fill(0);
        for (let f = 0; f < folds; f++) {
          if (folds > 1 && f === k) continue;
          const af = a[f]!;
          const bf = b[f]!;
          for (let j = 0; j < d * d; j++) sumA[j] = sumA[j]! + af[j]!;
          for (let j = 0; j < d; j++) sumB[j] = sumB[j]! + bf[j]!;
        }
        theta.set(solveRidge(sumA, sumB, lambda), (action * folds + k) * d);
      }
    }
    return { ybar, theta };
  }

  /** q̂(x_i, candidate k) under a fit, clipped to the observed reward range. */
  predict(fit: { ybar: number; theta: Float64Array }, i: number, k: number): number {
    const { dim, d, folds } = this;
    const base = (this.candidateAction[i]![k]! * folds + this.fold[i]!) * d;
    const theta = fit.theta;
    let q = fit.ybar + theta[base]!;
    const cbase = i * dim;
    for (let j = 0; j < dim; j++) q += theta[base + 1 + j]! * this.context[cbase + j]!;
    if (this.withPrior)
      q += theta[base + 1 + dim]! * this.priorP[i]![k]! + theta[base + 2 + dim]! * this.priorL[i]![k]!;
    return q < this.lo ? this.lo : q > this.hi ? this.hi : q;
  }

  candidates(i: number): number {
    return this.candidateAction[i]!.length;
  }
}

export function fitRewardModel(
  rows: readonly LoggedDecision[],
  options: RewardModelOptions = {},
): RewardModel {
  const design = new Design(rows, options);
  const full = design.fit();
  const predictions = rows.map((_, i) => {
    const q = new Float64Array(design.candidates(i));
    for (let k = 0; k < q.length; k++) q[k] = design.predict(full, i, k);
    return q;
  });
  const cache = new Map<string, RewardRefit>();
  return {
    predictions,
    ridge: design.lambda,
    folds: design.folds,
    description:
      `per-action ridge regression (λ = ${design.lambda}) on ${design.dim} standardised context features` +
      `${design.withPrior ? " and the logged prior (p, logit p)" : ""}, ${design.folds === 1 ? "fitted in-sample" : `${design.folds}-fold cross-fitted`}` +
      ", predictions clipped to the observed reward range",
    refit(weights) {
      if (weights.length !== design.n)
        throw new Error(`refit needs ${design.n} weights (one per row), got ${weights.length}`);
      const key = weightsKey(weights);
      let refit = cache.get(key);
      if (refit === undefined) {
        const fit = design.fit(weights);
        refit = { predict: (i, k) => design.predict(fit, i, k) };
        if (cache.size >= REFIT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(key, refit);
      }
      return refit;
    },
  };
}
