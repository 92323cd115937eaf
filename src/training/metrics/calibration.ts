/**
 * Calibration: a reliability curve (mean predicted vs observed rate per probability bin) and the
 * expected calibration error (ECE), the row-weighted mean gap between the two. Equal-width bins,
 * so the curve reads directly against the diagonal.
 */

export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** NaN for an empty bin. */
  readonly meanPredicted: number;
  readonly observedRate: number;
}

export interface Calibration {
  readonly bins: readonly ReliabilityBin[];
  /** Σ (count_b / N) · |observedRate_b − meanPredicted_b| over non-empty bins. */
  readonly ece: number;
}

/** Probability 1 falls in the last bin; values outside [0, 1] are clamped into the end bins. */
export function calibration(p: ArrayLike<number>, y: ArrayLike<number>, binCount = 10): Calibration {
  if (p.length !== y.length) throw new RangeError(`${p.length} probabilities but ${y.length} labels`);
  const count = new Float64Array(binCount);
  const sumP = new Float64Array(binCount);
  const sumY = new Float64Array(binCount);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(binCount - 1, Math.max(0, Math.floor(p[i]! * binCount)));
    count[b]!++;
    sumP[b]! += p[i]!;
    sumY[b]! += y[i] === 1 ? 1 : 0;
  }
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < binCount; b++) {
    const n = count[b]!;
    const meanPredicted = n === 0 ? Number.NaN : sumP[b]! / n;
    const observedRate = n === 0 ? Number.NaN : sumY[b]! / n;
    if (n > 0) ece += (n / p.length) * Math.abs(observedRate - meanPredicted);
    bins.push({ lower: b / binCount, upper: (b + 1) / binCount, count: n, meanPredicted, observedRate });
  }
  return { bins, ece };
}
