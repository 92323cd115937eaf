/**
 * The shared core of ROC and PR curves: sort by score, descending, and accumulate true and false
 * positives at each distinct score. Tied scores form one step, so a curve never depends on the
 * order of tied rows (which would make metrics depend on row order).
 */

export interface Sweep {
  /** Distinct scores, descending; step i classifies score >= thresholds[i] as positive. */
  readonly thresholds: Float64Array;
  /** Cumulative true positives at each step. */
  readonly tp: Float64Array;
  /** Cumulative false positives at each step. */
  readonly fp: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

/** Labels are 1 (positive) or 0; scores any finite numbers (higher = more likely positive). */
export function thresholdSweep(scores: ArrayLike<number>, labels: ArrayLike<number>): Sweep {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[b]! - scores[a]!);
  const thresholds: number[] = [];
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (labels[i] === 1) t++;
    else f++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      thresholds.push(scores[i]!);
      tp.push(t);
      fp.push(f);
    }
  }
  return {
    thresholds: Float64Array.from(thresholds),
    tp: Float64Array.from(tp),
    fp: Float64Array.from(fp),
    positives: t,
    negatives: f,
  };
}

/** Keeps at most `max` evenly spaced points of a curve (always the first and last), for charts. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))]!);
  return out;
}
