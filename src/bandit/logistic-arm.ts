/**
 * One action's Bayesian logistic regression over the same x_a = [shared context, p₀, logit(p₀)/8, 1]
 * as the ridge arm, with a Laplace (Gaussian) posterior N(θ, A⁻¹) kept online:
 *
 *   z = x_aᵀθ, p = σ(z), w = p(1 − p)             (the observation's Fisher information along x_a)
 *   A⁻¹ ← (A + w·x_a x_aᵀ)⁻¹                       (Sherman-Morrison, as the ridge arm)
 *   θ  ← θ + A⁻¹x_a·(r − p)                        (one Newton step on the new observation)
 *
 * i.e. the extended Kalman filter for a logistic model (recursive Laplace approximation). A cold arm
 * has A = λI and θ = θ₀ with 8 on the logit(p₀)/8 coordinate, so it predicts exactly σ(logit p₀) = p₀.
 * Acceptance is logistic in behaviour (effects multiply odds: views × channel × holdings), which a
 * linear model of P(accept) can only approximate.
 *
 * State: A⁻¹ (packed) and θ itself, stored where the ridge arm stores b (same sizes, so the snapshot
 * encoding is unchanged; the snapshot's `scorer: "logistic"` says how to read it). θ is then part of
 * the state, and a restored bandit decides bit for bit like the original.
 */
import {
  packedIdentity,
  packedQuadForm,
  packedSize,
  shermanMorrisonUpdate,
  sparseDot,
} from "./linear-algebra.js";
import { ARM_FEATURES, cleanPrior } from "./ridge-arm.js";
import type { LogitPosterior } from "./scorer.js";
import { sigmoid } from "./sigmoid.js";

/** θ₀ on the logit(p₀)/8 coordinate: a cold arm's log-odds are logit(p₀). */
const PRIOR_LOGIT_WEIGHT = 8;
/**
 * The arm coordinates of x_a for the logistic arm: p₀, logit(p₀)/8 (exact, clamped to ±8, so a cold
 * arm's σ(8 · logit(p₀)/8) is p₀ to rounding for 0.0003 <= p₀ <= 0.9997) and the intercept.
 */
export function writeLogisticArmFeatures(xa: Float64Array, contextDim: number, prior: number): void {
  const p = cleanPrior(prior);
  const logit = p <= 0 ? -8 : p >= 1 ? 8 : Math.log(p / (1 - p));
  xa[contextDim] = p;
  xa[contextDim + 1] = (logit > 8 ? 8 : logit < -8 ? -8 : logit) / 8;
  xa[contextDim + 2] = 1;
}

export class LogisticArm {
  constructor(
    /** D = contextDim + ARM_FEATURES. */
    readonly dim: number,
    readonly aInv: Float64Array,
    /** The posterior mean of the coefficients (log-odds scale). */
    readonly theta: Float64Array,
    public count = 0,
    public rewardSum = 0,
  ) {
    if (aInv.length !== packedSize(dim) || theta.length !== dim)
      throw new RangeError("arm state has wrong sizes");
  }

  /** The vector a snapshot keeps beside A⁻¹: θ. */
  get state(): Float64Array {
    return this.theta;
  }

  /** A = λI, θ = θ₀: predicts p₀ with prior covariance I/λ on the log-odds coefficients. */
  static cold(contextDim: number, ridge: number): LogisticArm {
    const dim = contextDim + ARM_FEATURES;
    const theta = new Float64Array(dim);
    theta[contextDim + 1] = PRIOR_LOGIT_WEIGHT;
    return new LogisticArm(dim, packedIdentity(dim, 1 / ridge, new Float64Array(packedSize(dim))), theta);
  }

  /**
   * The Laplace posterior of P(accept) = σ(x_aᵀθ) mapped to the probability scale for the explorers
   * (which sample or bound mean + k·width): mean σ(μ), width σ(μ + s) − σ(μ), with μ = x_aᵀθ and
   * s = sqrt(x_aᵀA⁻¹x_a). σ is monotone, so σ(μ) is exactly the posterior median of P(accept) and
   * σ(μ + s) exactly its 84th percentile: mean + 1·width is the posterior's own one-sd upper quantile
   * (LinUCB at α = 1 is exactly it). The tangent σ'(μ)·s would shrink that upside by σ(μ + s)/σ(μ)
   * for a small p: an arm estimated low on little data would look certain and never be explored.
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
  ): void {
    const z = sparseDot(this.theta, xa, nz, count);
    const q = quad ?? packedQuadForm(this.aInv, this.dim, xa, nz, count);
    const sd = q > 0 ? Math.sqrt(q) : 0;
    const p = sigmoid(z);
    mean[i] = p;
    width[i] = sd > 0 ? sigmoid(z + sd) - p : 0;
    if (logit) {
      logit.mean[i] = z;
      logit.sd[i] = sd;
    }
  }

  /** One observation, reward clamped to [0, 1]. `u` is scratch of length D. */
  update(xa: Float64Array, nz: Int32Array, count: number, reward: number, u: Float64Array): void {
    const r = reward > 0 ? (reward < 1 ? reward : 1) : 0;
    const p = sigmoid(sparseDot(this.theta, xa, nz, count));
    // u = A⁻¹x_a before the update; afterwards A⁻¹x_a = u / denominator.
    const denominator = shermanMorrisonUpdate(this.aInv, this.dim, xa, u, p * (1 - p));
    const step = (r - p) / denominator;
    for (let i = 0; i < this.dim; i++) this.theta[i] = this.theta[i]! + step * u[i]!;
    this.count++;
    this.rewardSum += reward;
  }
}
