/** Inverse propensity scoring: V̂ = (1/n) Σ w_i r_i. Unbiased when μ > 0 wherever π > 0 (no clipping). */
import type { Estimator } from "./estimator.js";

export const ips: Estimator = {
  name: "ips",
  label: "IPS",
  estimate(input, counts) {
    const { n, reward, weight } = input;
    let sum = 0;
    let size = 0;
    for (let i = 0; i < n; i++) {
      const c = counts ? counts[i]! : 1;
      sum += c * weight[i]! * reward[i]!;
      size += c;
    }
    return size > 0 ? sum / size : Number.NaN;
  },
};
