/**
 * Doubly robust: V̂ = (1/n) Σ_i [ Σ_a π(a|x_i) q̂(x_i, a) + w_i (r_i − q̂(x_i, a_i)) ]. Unbiased when
 * either the propensities or the reward model are right; the model only has to explain the residual.
 */
import type { Estimator } from "./estimator.js";

export const doublyRobust: Estimator = {
  name: "dr",
  label: "DR",
  estimate(input, counts) {
    const { n, reward, weight, predictedLogged, predictedTarget } = input;
    let sum = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const c = counts ? counts[i]! : 1;
      sum += c * (predictedTarget[i]! + weight[i]! * (reward[i]! - predictedLogged[i]!));
      size += c;
    }
    return size > 0 ? sum / size : Number.NaN;
  },
};
