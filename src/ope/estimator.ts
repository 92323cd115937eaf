/**
 * What every off-policy estimator reads: per logged row, the reward, the importance weight
 * w = π(a|x)/μ(a|x) of the logged action (after clipping), and the reward model's predictions.
 * Estimators are pure functions of these arrays and of optional bootstrap multiplicities, so the
 * bootstrap can re-weight rows without copying anything. Each writes its own loop (no shared
 * per-row callback): the bootstrap runs them B times over every row.
 */

export type EstimatorName = "ips" | "snips" | "dm" | "dr";

export interface EstimatorInput {
  readonly n: number;
  /** r_i. */
  readonly reward: Float64Array;
  /** w_i = π(a_i|x_i) / μ(a_i|x_i), clipped when clipping is on. */
  readonly weight: Float64Array;
  /** q̂(x_i, a_i): the reward model at the logged action. */
  readonly predictedLogged: Float64Array;
  /** Σ_a π(a|x_i) q̂(x_i, a): the reward model's value of the target at x_i. */
  readonly predictedTarget: Float64Array;
}

export interface Estimator {
  readonly name: EstimatorName;
  readonly label: string;
  /**
   * The estimate of the target's expected reward per decision. `counts[i]` is how many times row i
   * is in the (bootstrap) sample; all ones when omitted. NaN when the sample is empty.
   */
  estimate(input: EstimatorInput, counts?: Uint32Array): number;
}
