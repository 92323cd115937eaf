/**
 * Disjoint per-action models (one arm per action id, created on its first reward): ridge regression
 * of P(accept) (`RidgeArm`, kind "ridge") or Laplace-approximated logistic regression (`LogisticArm`,
 * kind "logistic"). Actions never seen share one read-only cold arm, so they cost nothing and predict
 * their prior.
 */
import type { Arm, ArmState } from "./bandit.js";
import { packedSize } from "./linear-algebra.js";
import { LogisticArm, writeLogisticArmFeatures } from "./logistic-arm.js";
import { ARM_FEATURES, RidgeArm, writeArmFeatures } from "./ridge-arm.js";
import type { LogitPosterior, Scorer } from "./scorer.js";

/** What the scorer needs of an arm model: its posterior over x_a, its update, its snapshot state. */
interface ArmModel {
  readonly count: number;
  readonly rewardSum: number;
  readonly aInv: Float64Array;
  /** The vector a snapshot keeps beside A⁻¹ (`ArmState.b`). */
  readonly state: Float64Array;
  /**
   * `quad`, when given, is x_aᵀA⁻¹x_a already computed (the cold arm's, from its diagonal); a
   * logistic arm also writes its log-odds posterior to `logit` when given.
   */
  estimate(
    xa: Float64Array,
    nz: Int32Array,
    count: number,
    mean: Float64Array,
    width: Float64Array,
    i: number,
    quad?: number,
    logit?: LogitPosterior,
  ): void;
  update(xa: Float64Array, nz: Int32Array, count: number, reward: number, u: Float64Array): void;
}

/** One arm model family: how to make a cold arm, restore one, and write the arm's own coordinates. */
interface ArmFamily<M extends ArmModel> {
  readonly kind: Scorer["kind"];
  cold(contextDim: number, ridge: number): M;
  restore(dim: number, aInv: Float64Array, state: Float64Array, count: number, rewardSum: number): M;
  writeFeatures(xa: Float64Array, contextDim: number, prior: number): void;
}

class DisjointScorer<M extends ArmModel> implements Scorer {
  readonly kind: Scorer["kind"];
  private readonly arms = new Map<string, M>();
  private readonly cold: M;
  private readonly dim: number;
  // Scratch: x_a (context part written once per call), its non-zero coordinates, an update vector.
  private readonly xa: Float64Array;
  private readonly nz: Int32Array;
  private readonly u: Float64Array;

  constructor(
    private readonly family: ArmFamily<M>,
    private readonly contextDim: number,
    private readonly ridge: number,
    states: readonly ArmState[] = [],
  ) {
    this.kind = family.kind;
    this.dim = contextDim + ARM_FEATURES;
    this.cold = family.cold(contextDim, ridge);
    this.xa = new Float64Array(this.dim);
    this.nz = new Int32Array(this.dim);
    this.u = new Float64Array(this.dim);
    for (const s of states) {
      if (s.aInv.length !== packedSize(this.dim) || s.b.length !== this.dim)
        throw new RangeError(`arm ${s.actionId} has the wrong dimension`);
      this.arms.set(s.actionId, family.restore(this.dim, s.aInv.slice(), s.b.slice(), s.count, s.rewardSum));
    }
  }

  /** Copies the context into x_a and lists its non-zero coordinates plus the arm coordinates. */
  private load(x: ArrayLike<number>): number {
    const d = this.contextDim;
    if (x.length !== d) throw new RangeError(`context must have length ${d}, got ${x.length}`);
    let count = 0;
    for (let i = 0; i < d; i++) {
      const v = x[i]!;
      if (!Number.isFinite(v)) throw new RangeError(`context[${i}] is not a finite number`);
      this.xa[i] = v;
      if (v !== 0) this.nz[count++] = i;
    }
    for (let i = d; i < this.dim; i++) this.nz[count++] = i;
    return count;
  }

  estimate(
    x: ArrayLike<number>,
    arms: readonly Arm[],
    mean: Float64Array,
    width: Float64Array,
    logit?: LogitPosterior,
  ): void {
    const count = this.load(x);
    const { xa, nz } = this;
    // A cold arm's A⁻¹ is I/λ: its quadratic form is a sum of squares (the same operations, in the
    // same order, as the packed form over a diagonal, so the same bits) rather than D²/2 products.
    const inv = 1 / this.ridge;
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[i]!;
      this.family.writeFeatures(xa, this.contextDim, arm.prior);
      const model = this.arms.get(arm.actionId);
      if (model) {
        model.estimate(xa, nz, count, mean, width, i, undefined, logit);
        continue;
      }
      let quad = 0;
      for (let a = 0; a < count; a++) {
        const v = xa[nz[a]!]!;
        quad += v * (inv * v);
      }
      this.cold.estimate(xa, nz, count, mean, width, i, quad, logit);
    }
  }

  learn(x: ArrayLike<number>, actionId: string, prior: number, reward: number): void {
    if (!Number.isFinite(reward)) throw new RangeError("reward must be a finite number");
    const count = this.load(x);
    this.family.writeFeatures(this.xa, this.contextDim, prior);
    let model = this.arms.get(actionId);
    if (!model) {
      model = this.family.cold(this.contextDim, this.ridge);
      this.arms.set(actionId, model);
    }
    model.update(this.xa, this.nz, count, reward, this.u);
  }

  armStates(): ArmState[] {
    return [...this.arms].map(([actionId, m]) => ({
      actionId,
      count: m.count,
      rewardSum: m.rewardSum,
      aInv: m.aInv.slice(),
      b: m.state.slice(),
    }));
  }
}

const RIDGE: ArmFamily<RidgeArm> = {
  kind: "ridge",
  cold: (contextDim, ridge) => RidgeArm.cold(contextDim, ridge),
  restore: (dim, aInv, b, count, rewardSum) => new RidgeArm(dim, aInv, b, count, rewardSum),
  writeFeatures: writeArmFeatures,
};

/** The logistic arm model over the same x_a; its state (A⁻¹, θ) has the ridge arm's sizes. */
const LOGISTIC: ArmFamily<LogisticArm> = {
  kind: "logistic",
  cold: (contextDim, ridge) => LogisticArm.cold(contextDim, ridge),
  restore: (dim, aInv, theta, count, rewardSum) => new LogisticArm(dim, aInv, theta, count, rewardSum),
  writeFeatures: writeLogisticArmFeatures,
};

export class RidgeScorer extends DisjointScorer<RidgeArm> {
  constructor(contextDim: number, ridge: number, states: readonly ArmState[] = []) {
    super(RIDGE, contextDim, ridge, states);
  }
}

export class LogisticScorer extends DisjointScorer<LogisticArm> {
  constructor(contextDim: number, ridge: number, states: readonly ArmState[] = []) {
    super(LOGISTIC, contextDim, ridge, states);
  }
}
