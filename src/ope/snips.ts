/**
 * Self-normalised IPS: V̂ = Σ w_i r_i / Σ w_i. Slightly biased, usually far less variable than IPS, and
 * always inside the range of the observed rewards.
 */
import type { Estimator } from "./estimator.js";

export const snips: Estimator = {
  name: "snips",
  label: "SNIPS",
  estimate(input, counts) {
    const { n, reward, weight } = input;
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      const c = counts ? counts[i]! : 1;
      num += c * weight[i]! * reward[i]!;
      den += c * weight[i]!;
    }
    return den > 0 ? num / den : Number.NaN;
  },
};
