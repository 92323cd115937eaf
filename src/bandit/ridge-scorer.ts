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
import type { Scorer } from "./scorer.js";

export class RidgeScorer implements Scorer {
  readonly kind = "ridge";
  private readonly arms = new Map<string, RidgeArm>();
  private readonly cold: RidgeArm;
  private readonly dim: number;
  // Scratch: x_a (context part written once per call), its non-zero coordinates, an update vector.
  private readonly xa: Float64Array;
  private readonly nz: Int32Array;
  private readonly u: Float64Array;

  constructor(
    private readonly contextDim: number,
    private readonly ridge: number,
    states: readonly ArmState[] = [],
  ) {
    this.dim = contextDim + ARM_FEATURES;
    this.cold = RidgeArm.cold(contextDim, ridge);
    this.xa = new Float64Array(this.dim);
    this.nz = new Int32Array(this.dim);
    this.u = new Float64Array(this.dim);
    for (const s of states) {
      if (s.aInv.length !== packedSize(this.dim) || s.b.length !== this.dim)
        throw new RangeError(`arm ${s.actionId} has the wrong dimension`);
      this.arms.set(s.actionId, new RidgeArm(this.dim, s.aInv.slice(), s.b.slice(), s.count, s.rewardSum));
    }
  }

  /** Copies the context into x_a and lists its non-zero coordinates plus the three arm coordinates. */
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

  estimate(x: ArrayLike<number>, arms: readonly Arm[], mean: Float64Array, width: Float64Array): void {
    const count = this.load(x);
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[i]!;
      writeArmFeatures(this.xa, this.contextDim, arm.prior);
      const model = this.arms.get(arm.actionId) ?? this.cold;
      mean[i] = model.mean(this.xa, this.nz, count);
      width[i] = model.width(this.xa, this.nz, count);
    }
  }

  learn(x: ArrayLike<number>, actionId: string, prior: number, reward: number): void {
    if (!Number.isFinite(reward)) throw new RangeError("reward must be a finite number");
    this.load(x);
    writeArmFeatures(this.xa, this.contextDim, prior);
    let model = this.arms.get(actionId);
    if (!model) {
      model = RidgeArm.cold(this.contextDim, this.ridge);
      this.arms.set(actionId, model);
    }
    model.update(this.xa, reward, this.u);
  }

  armStates(): ArmState[] {
    return [...this.arms].map(([actionId, m]) => ({
      actionId,
      count: m.count,
      rewardSum: m.rewardSum,
      aInv: m.aInv.slice(),
      b: m.b.slice(),
    }));
  }
}

/** The logistic arm model over the same x_a; state (A⁻¹, θ) has the ridge arm's sizes. */
export class LogisticScorer implements Scorer {
  readonly kind = "logistic";
  private readonly arms = new Map<string, LogisticArm>();
  private readonly cold: LogisticArm;
  private readonly dim: number;
  private readonly xa: Float64Array;
  private readonly nz: Int32Array;
  private readonly u: Float64Array;

  constructor(
    private readonly contextDim: number,
    private readonly ridge: number,
    states: readonly ArmState[] = [],
  ) {
    this.dim = contextDim + ARM_FEATURES;
    this.cold = LogisticArm.cold(contextDim, ridge);
    this.xa = new Float64Array(this.dim);
    this.nz = new Int32Array(this.dim);
    this.u = new Float64Array(this.dim);
    for (const s of states) {
      if (s.aInv.length !== packedSize(this.dim) || s.b.length !== this.dim)
        throw new RangeError(`arm ${s.actionId} has the wrong dimension`);
      this.arms.set(s.actionId, new LogisticArm(this.dim, s.aInv.slice(), s.b.slice(), s.count, s.rewardSum));
    }
  }

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

  estimate(x: ArrayLike<number>, arms: readonly Arm[], mean: Float64Array, width: Float64Array): void {
    const count = this.load(x);
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[i]!;
      writeLogisticArmFeatures(this.xa, this.contextDim, arm.prior);
      const model = this.arms.get(arm.actionId) ?? this.cold;
      model.estimate(this.xa, this.nz, count, mean, width, i);
    }
  }

  learn(x: ArrayLike<number>, actionId: string, prior: number, reward: number): void {
    if (!Number.isFinite(reward)) throw new RangeError("reward must be a finite number");
    const count = this.load(x);
    writeLogisticArmFeatures(this.xa, this.contextDim, prior);
    let model = this.arms.get(actionId);
    if (!model) {
      model = LogisticArm.cold(this.contextDim, this.ridge);
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
      b: m.theta.slice(),
    }));
  }
}
