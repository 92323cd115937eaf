/**
 * Settings of the gradient-boosted trees and their defaults. The defaults were chosen on validation
 * rows (the early-stopping split inside the training rows), never on test rows: docs/models.md.
 */

export interface GbdtParams {
  /** Most boosting rounds (one tree each); early stopping usually ends sooner. */
  readonly trees: number;
  /** Most levels below the root; a tree stops growing a branch there. */
  readonly maxDepth: number;
  /** Most leaves per tree: trees grow best-first (largest gain first) until this many. */
  readonly maxLeaves: number;
  /** Shrinkage: each tree's leaf values are multiplied by this. */
  readonly learningRate: number;
  /** L2 penalty on leaf values (the λ in -G / (H + λ)). */
  readonly lambda: number;
  /** Smallest hessian sum a child may have (about rows · p(1 - p) for log loss). */
  readonly minChildWeight: number;
  /** Smallest gain (loss reduction) worth a split. */
  readonly minSplitGain: number;
  /** Share of training rows each tree sees (seeded, drawn per tree). */
  readonly subsample: number;
  /** Share of columns each tree may split on (seeded, drawn per tree). */
  readonly colsample: number;
  /** Most bins per column (quantiles of the training rows), at most 255. */
  readonly maxBins: number;
  /** Rounds without a better validation log loss before stopping. */
  readonly patience: number;
  /** Progress (and history) every this many rounds. */
  readonly reportEvery: number;
}

export const DEFAULT_GBDT: GbdtParams = {
  trees: 2000,
  maxDepth: 6,
  maxLeaves: 31,
  learningRate: 0.05,
  lambda: 1,
  minChildWeight: 1,
  minSplitGain: 0,
  subsample: 0.8,
  colsample: 0.8,
  maxBins: 255,
  patience: 50,
  reportEvery: 10,
};

export function resolveGbdtParams(partial: Partial<GbdtParams> = {}): GbdtParams {
  const p = {
    ...DEFAULT_GBDT,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  };
  if (!(p.maxBins >= 2 && p.maxBins <= 255))
    throw new RangeError(`gbdt bins must be 2-255, got ${p.maxBins}`);
  if (!(p.subsample > 0 && p.subsample <= 1))
    throw new RangeError(`gbdt subsample must be in (0, 1], got ${p.subsample}`);
  if (!(p.colsample > 0 && p.colsample <= 1))
    throw new RangeError(`gbdt colsample must be in (0, 1], got ${p.colsample}`);
  if (!(p.maxLeaves >= 2)) throw new RangeError(`gbdt leaves must be at least 2, got ${p.maxLeaves}`);
  if (!(p.maxDepth >= 1)) throw new RangeError(`gbdt depth must be at least 1, got ${p.maxDepth}`);
  return p;
}
