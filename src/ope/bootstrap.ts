/**
 * Seeded nonparametric bootstrap over logged rows: each replicate draws n rows with replacement
 * (as multiplicities, so statistics re-weight instead of copying) and every statistic is computed
 * on the same replicates. Intervals are percentile intervals; the standard error is the replicates'
 * standard deviation. `prepare` runs once per replicate before the statistics (e.g. to refit the
 * reward model on the replicate, so its variance is in the DM and DR intervals).
 */
import { createRandom } from "../random/seeded-random.js";

export interface BootstrapOptions {
  /** B; 0 gives NaN intervals. */
  readonly replicates: number;
  readonly seed: number;
  /** Central coverage of the interval, e.g. 0.95. */
  readonly confidence: number;
  /** Called with each replicate's multiplicities before any statistic reads them. */
  readonly prepare?: (counts: Uint32Array) => void;
}

export interface BootstrapInterval {
  readonly lower: number;
  readonly upper: number;
  readonly standardError: number;
  /** Replicates where the statistic was undefined (e.g. every resampled weight 0), left out. */
  readonly undefinedReplicates: number;
}

/** Linear-interpolation quantile of sorted values (type 7). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Every statistic's value on every replicate (NaN where it was undefined), on shared replicates. */
export function bootstrapReplicates(
  n: number,
  statistics: readonly ((counts: Uint32Array) => number)[],
  options: BootstrapOptions,
): Float64Array[] {
  const { replicates } = options;
  const values = statistics.map(() => new Float64Array(n > 0 ? replicates : 0));
  const rng = createRandom(options.seed).fork("ope-bootstrap");
  const next = rng.next;
  const counts = new Uint32Array(n);
  for (let b = 0; b < replicates && n > 0; b++) {
    counts.fill(0);
    for (let j = 0; j < n; j++) {
      const i = Math.floor(next() * n);
      counts[i] = counts[i]! + 1;
    }
    options.prepare?.(counts);
    statistics.forEach((stat, s) => {
      values[s]![b] = stat(counts);
    });
  }
  return values;
}

/** The percentile interval and standard error of one statistic's replicate values. */
export function intervalOf(values: Float64Array, replicates: number, confidence: number): BootstrapInterval {
  const alpha = (1 - confidence) / 2;
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const variance = finite.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, finite.length - 1);
  return {
    lower: quantile(finite, alpha),
    upper: quantile(finite, 1 - alpha),
    standardError: finite.length > 1 ? Math.sqrt(variance) : Number.NaN,
    undefinedReplicates: replicates - finite.length,
  };
}

export function bootstrap(
  n: number,
  statistics: readonly ((counts: Uint32Array) => number)[],
  options: BootstrapOptions,
): BootstrapInterval[] {
  return bootstrapReplicates(n, statistics, options).map((values) =>
    intervalOf(values, options.replicates, options.confidence),
  );
}
