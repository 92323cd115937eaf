/**
 * The second-order maths of one split (XGBoost's): with G and H a node's gradient and hessian sums,
 * the best leaf value is -G / (H + λ) and it lowers the loss by G² / (2 (H + λ)); a split is worth
 * the children's reductions minus the parent's.
 */
import type { BinnedMatrix } from "./binned-matrix.js";

export interface SplitRules {
  readonly lambda: number;
  readonly minChildWeight: number;
  readonly minSplitGain: number;
}

export interface SplitChoice {
  /** Loss reduction: ½ (G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)) − minSplitGain. */
  readonly gain: number;
  readonly feature: number;
  /** Rows in bins <= `bin` go left. */
  readonly bin: number;
  readonly leftG: number;
  readonly leftH: number;
}

/** The leaf value that minimises the second-order loss: -G / (H + λ). */
export const leafWeight = (g: number, h: number, lambda: number): number => -g / (h + lambda);

/** How much a leaf with these sums lowers the second-order loss, times 2: G² / (H + λ). */
export const leafScore = (g: number, h: number, lambda: number): number => (g * g) / (h + lambda);

/**
 * The best split of a node over `features` (ascending column ids), or undefined when no split
 * gains more than nothing while leaving each child at least `minChildWeight` of hessian. Ties keep
 * the first candidate (lowest column, then lowest bin), so the choice is deterministic.
 */
export function bestSplit(
  hist: Float64Array,
  m: BinnedMatrix,
  features: Int32Array,
  g: number,
  h: number,
  rules: SplitRules,
): SplitChoice | undefined {
  const { lambda, minChildWeight } = rules;
  const parent = leafScore(g, h, lambda);
  let best: SplitChoice | undefined;
  let bestGain = 0;
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const start = m.offsets[f]!;
    const last = m.offsets[f + 1]! - 1;
    let gl = 0;
    let hl = 0;
    for (let b = start; b < last; b++) {
      gl += hist[2 * b]!;
      hl += hist[2 * b + 1]!;
      if (hl < minChildWeight) continue;
      const hr = h - hl;
      if (hr < minChildWeight) break;
      const gr = g - gl;
      const gain =
        0.5 * (leafScore(gl, hl, lambda) + leafScore(gr, hr, lambda) - parent) - rules.minSplitGain;
      if (gain > bestGain) {
        bestGain = gain;
        best = { gain, feature: f, bin: b - start, leftG: gl, leftH: hl };
      }
    }
  }
  return best;
}
