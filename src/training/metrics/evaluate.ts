/**
 * Every held-out metric of one model in one object: the numbers for metrics.json and the console,
 * and the (thinned) curves for the report's charts.
 */
import { type Calibration, calibration } from "./calibration.js";
import { type LiftGroup, liftByDecile } from "./lift.js";
import { type PrPoint, prAuc, prCurve } from "./pr-auc.js";
import { brierScore, logLoss } from "./probability-scores.js";
import { type RocPoint, rocAuc, rocCurve } from "./roc-auc.js";
import { thin } from "./threshold-sweep.js";

export interface Evaluation {
  readonly rows: number;
  readonly positives: number;
  readonly positiveRate: number;
  readonly meanPredicted: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly ece: number;
  readonly calibration: Calibration;
  readonly lift: readonly LiftGroup[];
  /** At most 200 points each, enough for a chart and small enough for metrics.json. */
  readonly roc: readonly RocPoint[];
  readonly pr: readonly PrPoint[];
}

/** The headline numbers only (what metadata.json `metrics` and the comparison tables carry). */
export type HeadlineMetrics = Pick<
  Evaluation,
  "rocAuc" | "prAuc" | "logLoss" | "brier" | "ece" | "rows" | "positiveRate" | "meanPredicted"
>;

export function evaluate(p: ArrayLike<number>, y: ArrayLike<number>): Evaluation {
  let positives = 0;
  let sumP = 0;
  for (let i = 0; i < y.length; i++) {
    positives += y[i] === 1 ? 1 : 0;
    sumP += p[i]!;
  }
  const cal = calibration(p, y);
  return {
    rows: y.length,
    positives,
    positiveRate: positives / y.length,
    meanPredicted: sumP / y.length,
    rocAuc: rocAuc(p, y),
    prAuc: prAuc(p, y),
    logLoss: logLoss(p, y),
    brier: brierScore(p, y),
    ece: cal.ece,
    calibration: cal,
    lift: liftByDecile(p, y),
    roc: thin(rocCurve(p, y), 200),
    pr: thin(prCurve(p, y), 200),
  };
}

export function headline(e: Evaluation): HeadlineMetrics {
  const { rocAuc, prAuc, logLoss, brier, ece, rows, positiveRate, meanPredicted } = e;
  return { rocAuc, prAuc, logLoss, brier, ece, rows, positiveRate, meanPredicted };
}
