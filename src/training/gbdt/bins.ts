/**
 * Quantile bins of one column, fitted on the training rows. A split then only has to choose among
 * bin boundaries, so a node's best split is one pass over a histogram instead of a sort of its rows.
 *
 * Each boundary is a float32 threshold t with the rule "x <= t goes left": the exact comparison the
 * ONNX TreeEnsemble makes on the float32 input. Boundaries sit halfway between the largest value of
 * one bin and the smallest of the next (rounded to float32, and never onto the next value), so a
 * value never seen in training falls on the nearer side instead of always the upper one.
 */

/** The float32 threshold between two neighbouring float32 values a < c: a <= t < c. */
export function boundaryBetween(a: number, c: number): number {
  const mid = Math.fround(a + (c - a) / 2);
  // Adjacent floats (or a rounding up onto c) leave no room in between: a itself separates them.
  return mid >= c || mid < a ? Math.fround(a) : mid;
}

/**
 * Boundaries (ascending float32 thresholds, one fewer than the bins) of `values`, the column's
 * training values. Up to `maxBins` distinct values get one bin each (a 0/1 column gets 2 bins);
 * more are cut at quantiles, greedily: a bin closes once it holds its share of the rows still
 * unbinned, so a heavy value (a spike of zeros) takes a bin of its own and the rest share the others.
 */
export function fitBoundaries(values: Float32Array, maxBins: number): Float32Array {
  const sorted = Float32Array.from(values).sort();
  let n = sorted.length;
  // NaN sorts last; it never reaches a threshold (x <= t is false), so it only ever goes right.
  while (n > 0 && Number.isNaN(sorted[n - 1]!)) n--;
  if (n === 0) return new Float32Array(0);
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]!++;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const bounds: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++)
      bounds.push(boundaryBetween(distinct[i]!, distinct[i + 1]!));
    return Float32Array.from(bounds);
  }
  let remaining = n;
  let binsLeft = maxBins;
  let held = 0;
  for (let i = 0; i + 1 < distinct.length && binsLeft > 1; i++) {
    held += counts[i]!;
    if (held >= remaining / binsLeft) {
      bounds.push(boundaryBetween(distinct[i]!, distinct[i + 1]!));
      remaining -= held;
      held = 0;
      binsLeft--;
    }
  }
  return Float32Array.from(bounds);
}

/** The bin of `v`: the first boundary it does not exceed (binary search), or the last bin. */
export function binOf(v: number, bounds: Float32Array): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= bounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
