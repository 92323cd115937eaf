/**
 * The words a decision's reasons use for numbers: four decimals, and the P(accept) an action was
 * ranked with named for what it is.
 */
import type { BanditAlgorithm } from "../bandit/index.js";

export const round = (v: number): number => Math.round(v * 1e4) / 1e4;

/**
 * The P(accept) an action was ranked with, named for what it is: Thompson sampling ranks by a
 * posterior draw and LinUCB by an upper bound, either of which can sit far from the posterior's
 * centre for an action with little data, so the answer shows both.
 */
export function estimateText(algorithm: BanditAlgorithm, estimate: number, centre: number): string {
  // An action the policy does not let explore is ranked at its posterior's centre (to the σ table's
  // 1e-6 for logistic arms), and then there is one number to show.
  if (round(estimate) === round(centre)) return `P(accept) ${round(estimate)}`;
  if (algorithm === "thompson")
    return `sampled P(accept) ${round(estimate)} (posterior centre ${round(centre)})`;
  if (algorithm === "linucb")
    return `upper-bound P(accept) ${round(estimate)} (posterior centre ${round(centre)})`;
  return `P(accept) ${round(estimate)}`;
}
