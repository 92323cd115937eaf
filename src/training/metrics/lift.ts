/**
 * Lift by decile: rank rows by score (highest first), cut them into ten groups of (nearly) equal
 * size, and compare each group's positive rate with the overall rate. The first decile's lift says
 * how much better than random a campaign aimed at the top 10% would do.
 */

export interface LiftGroup {
  /** 1 = highest scores. */
  readonly decile: number;
  readonly count: number;
  readonly positives: number;
  readonly rate: number;
  /** rate / overall rate. */
  readonly lift: number;
  /** Share of all positives found in this and the higher deciles. */
  readonly cumulativeCapture: number;
}

/** Ties are broken by row index, so the grouping is deterministic. */
export function liftByDecile(scores: ArrayLike<number>, labels: ArrayLike<number>, groups = 10): LiftGroup[] {
  const n = scores.length;
  if (n !== labels.length) throw new RangeError(`${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += labels[i] === 1 ? 1 : 0;
  const base = n === 0 ? 0 : total / n;
  const out: LiftGroup[] = [];
  let captured = 0;
  for (let g = 0; g < groups; g++) {
    const from = Math.floor((g * n) / groups);
    const to = Math.floor(((g + 1) * n) / groups);
    let positives = 0;
    for (let k = from; k < to; k++) positives += labels[order[k]!] === 1 ? 1 : 0;
    captured += positives;
    const count = to - from;
    const rate = count === 0 ? 0 : positives / count;
    out.push({
      decile: g + 1,
      count,
      positives,
      rate,
      lift: base === 0 ? 0 : rate / base,
      cumulativeCapture: total === 0 ? 0 : captured / total,
    });
  }
  return out;
}
