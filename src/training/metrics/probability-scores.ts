/**
 * Proper scoring rules for predicted probabilities: log loss and the Brier score. Unlike AUC they
 * punish miscalibration, which matters here because arbitration multiplies propensity by value.
 */

/** Probabilities are clipped to [eps, 1 - eps] so one confident mistake costs ~34.5, not infinity. */
const EPS = 1e-15;

function checkLengths(p: ArrayLike<number>, y: ArrayLike<number>): void {
  if (p.length !== y.length) throw new RangeError(`${p.length} probabilities but ${y.length} labels`);
  if (p.length === 0) throw new RangeError("no rows to score");
}

/** Mean negative log-likelihood (natural log) of the labels under the probabilities. */
export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(p, y);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - EPS, Math.max(EPS, p[i]!));
    sum -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return sum / p.length;
}

/** Mean squared difference between probability and outcome (0 = perfect, 0.25 = always 0.5). */
export function brierScore(p: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(p, y);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i]! - (y[i] === 1 ? 1 : 0);
    sum += d * d;
  }
  return sum / p.length;
}
