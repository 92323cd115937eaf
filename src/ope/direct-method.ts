/**
 * Direct method: V̂ = (1/n) Σ_i Σ_a π(a|x_i) q̂(x_i, a). No weights, so low variance, but exactly as
 * biased as the reward model is wrong where the target goes.
 */
import type { Estimator } from "./estimator.js";

export const directMethod: Estimator = {
  name: "dm",
  label: "DM",
  estimate(input, counts) {
    const { n, predictedTarget } = input;
    let sum = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const c = counts ? counts[i]! : 1;
      sum += c * predictedTarget[i]!;
      size += c;
    }
    return size > 0 ? sum / size : Number.NaN;
  },
};
