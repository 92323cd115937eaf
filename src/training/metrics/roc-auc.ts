/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half (the trapezoid rule over tied steps gives exactly that).
 */
import { thresholdSweep } from "./threshold-sweep.js";

export interface RocPoint {
  readonly fpr: number;
  readonly tpr: number;
}

/** NaN when the labels hold only one class (the AUC is undefined then). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const s = thresholdSweep(scores, labels);
  if (s.positives === 0 || s.negatives === 0) return Number.NaN;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < s.tp.length; i++) {
    area += ((s.fp[i]! - prevFp) * (s.tp[i]! + prevTp)) / 2;
    prevTp = s.tp[i]!;
    prevFp = s.fp[i]!;
  }
  return area / (s.positives * s.negatives);
}

/** The ROC curve from (0, 0) to (1, 1), one point per distinct score. */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): RocPoint[] {
  const s = thresholdSweep(scores, labels);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0 }];
  if (s.positives === 0 || s.negatives === 0) return points;
  for (let i = 0; i < s.tp.length; i++) {
    points.push({ fpr: s.fp[i]! / s.negatives, tpr: s.tp[i]! / s.positives });
  }
  return points;
}
