/**
 * One action's Bayesian ridge regression over x_a = [shared context, p₀, logit(p₀)/8, 1]:
 * A⁻¹ (packed), b and θ = A⁻¹b. A cold arm has A = λI and b = λθ₀ with θ₀ = 1 on the p₀
 * coordinate, so its mean is exactly its prior p₀ until data overrides it.
 */
import {
  packedIdentity,
  packedMatVec,
  packedQuadForm,
  packedSize,
  shermanMorrisonUpdate,
  sparseDot,
} from "./linear-algebra.js";

/** Coordinates appended to the shared context: p₀, logit(p₀)/8 and the intercept. */
export const ARM_FEATURES = 3;

/** Clamps a prior into [0, 1]; anything not a number reads as 0. */
export function cleanPrior(p: number): number {
  return p > 0 ? (p < 1 ? p : 1) : 0;
}

/** Writes the arm-specific coordinates of x_a (the context part is written once per decision). */
export function writeArmFeatures(xa: Float64Array, contextDim: number, prior: number): void {
  const p = cleanPrior(prior);
  const logit = Math.log((p + 1e-6) / (1 - p + 1e-6));
  xa[contextDim] = p;
  xa[contextDim + 1] = Math.max(-8, Math.min(8, logit)) / 8;
  xa[contextDim + 2] = 1;
}

export class RidgeArm {
  /** θ = A⁻¹b, recomputed after every update. */
  readonly theta: Float64Array;

  constructor(
    /** D = contextDim + ARM_FEATURES. */
    readonly dim: number,
    readonly aInv: Float64Array,
    readonly b: Float64Array,
    public count = 0,
    public rewardSum = 0,
  ) {
    if (aInv.length !== packedSize(dim) || b.length !== dim)
      throw new RangeError("arm state has wrong sizes");
    this.theta = new Float64Array(dim);
    this.refresh();
  }

  /** A = λI, b = λθ₀: predicts p₀ with prior covariance I/λ. */
  static cold(contextDim: number, ridge: number): RidgeArm {
    const dim = contextDim + ARM_FEATURES;
    const b = new Float64Array(dim);
    b[contextDim] = ridge;
    return new RidgeArm(dim, packedIdentity(dim, 1 / ridge, new Float64Array(packedSize(dim))), b);
  }

  /** Recomputes θ = A⁻¹b. */
  refresh(): void {
    packedMatVec(this.aInv, this.dim, this.b, this.theta);
  }

  /** The vector a snapshot keeps beside A⁻¹: b (θ is recomputed from them). */
  get state(): Float64Array {
    return this.b;
  }

  /**
   * mean[i] = x_aᵀθ, the posterior mean of P(accept); width[i] = sqrt(x_aᵀ A⁻¹ x_a), its posterior
   * standard deviation before scaling.
   */
  estimate(
    xa: Float64Array,
    nz: Int32Array,
    count: number,
    mean: Float64Array,
    width: Float64Array,
    i: number,
    quad?: number,
  ): void {
    mean[i] = sparseDot(this.theta, xa, nz, count);
    const q = quad ?? packedQuadForm(this.aInv, this.dim, xa, nz, count);
    width[i] = q > 0 ? Math.sqrt(q) : 0;
  }

  /**
   * Adds one observation: Sherman-Morrison on A⁻¹, b += r·x, then θ = A⁻¹b recomputed exactly (one
   * more D² pass, off the decision path) so that θ is always a pure function of the state a snapshot
   * carries: a restored bandit then decides bit for bit like the original. `u` is scratch of length D.
   */
  update(xa: Float64Array, _nz: Int32Array, _count: number, reward: number, u: Float64Array): void {
    shermanMorrisonUpdate(this.aInv, this.dim, xa, u);
    for (let i = 0; i < this.dim; i++) this.b[i] = this.b[i]! + reward * xa[i]!;
    this.refresh();
    this.count++;
    this.rewardSum += reward;
  }
}
