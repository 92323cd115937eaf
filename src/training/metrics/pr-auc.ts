/**
 * Area under the precision-recall curve as average precision: the mean of the precision at each
 * threshold weighted by the recall gained there (scikit-learn's `average_precision_score`). It uses
 * no interpolation, which would overstate the area of a curve with few points.
 */
import { thresholdSweep } from "./threshold-sweep.js";

export interface PrPoint {
  readonly recall: number;
  readonly precision: number;
}

/** NaN when there are no positives. */
export function prAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const s = thresholdSweep(scores, labels);
  if (s.positives === 0) return Number.NaN;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < s.tp.length; i++) {
    const recall = s.tp[i]! / s.positives;
    const precision = s.tp[i]! / (s.tp[i]! + s.fp[i]!);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/** The precision-recall curve, one point per distinct score, by increasing recall. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  const s = thresholdSweep(scores, labels);
  if (s.positives === 0) return [];
  const points: PrPoint[] = [];
  for (let i = 0; i < s.tp.length; i++) {
    points.push({ recall: s.tp[i]! / s.positives, precision: s.tp[i]! / (s.tp[i]! + s.fp[i]!) });
  }
  return points;
}
