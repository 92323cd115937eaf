/**
 * Train/test splits. Stratified: each class is shuffled with the seeded random source and the same
 * fraction of each goes to test, so a rare positive class keeps its rate on both sides. Time: the
 * latest rows go to test, the honest split for event data (a model is always used on the future);
 * for snapshots of one population labelled over windows (churn at several label times), the latest
 * snapshot is the test set and only rows whose label window has closed by then train.
 * sklearn: stratified, the very rows scikit-learn's train_test_split picks for the seed
 * (sklearn-split.ts), to compare with a Python baseline on the same rows.
 */
import type { Random } from "../random/seeded-random.js";

export type SplitKind = "stratified" | "time" | "sklearn";

export interface Split {
  /** Row indices, ascending. */
  readonly train: Uint32Array;
  readonly test: Uint32Array;
}

/** Fisher-Yates with the given source: the only shuffle in training, so a seed fixes every order. */
export function shuffleInPlace(values: Uint32Array, random: Random): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}

/** A seeded permutation of `indices` (or of 0..n-1). */
export function permutation(n: number | ArrayLike<number>, random: Random): Uint32Array {
  const values = typeof n === "number" ? Uint32Array.from({ length: n }, (_, i) => i) : Uint32Array.from(n);
  return shuffleInPlace(values, random);
}

/** Refuses a held-out share outside (0, 1), for every kind of split. */
export function checkFraction(testFraction: number): void {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`the test fraction must be between 0 and 1, got ${testFraction}`);
  }
}

/**
 * Splits `rows` (default all) so that round(n_c · testFraction) rows of each class c go to test.
 * `labels` is indexed by row number.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  random: Random,
  rows?: ArrayLike<number>,
): Split {
  checkFraction(testFraction);
  const all = rows ?? Uint32Array.from({ length: labels.length }, (_, i) => i);
  const byClass: [number[], number[]] = [[], []];
  for (let k = 0; k < all.length; k++) byClass[labels[all[k]!] === 1 ? 1 : 0].push(all[k]!);
  const train: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    const shuffled = permutation(members, random);
    const cut = Math.round(shuffled.length * testFraction);
    for (let i = 0; i < shuffled.length; i++) (i < cut ? test : train).push(shuffled[i]!);
  }
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}

/**
 * The latest `testFraction` of `rows` (by time) go to test. Rows sharing the cut-off instant all go
 * to test, so no test row is older than a training row.
 */
export function timeSplit(times: ArrayLike<number>, testFraction: number, rows?: ArrayLike<number>): Split {
  checkFraction(testFraction);
  const all = rows ? Array.from(rows) : Array.from({ length: times.length }, (_, i) => i);
  const sorted = [...all].sort((a, b) => times[a]! - times[b]! || a - b);
  const cutIndex = Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - testFraction)));
  const cutTime = times[sorted[cutIndex]!]!;
  if (times[sorted[0]!] === cutTime) {
    throw new RangeError(
      "a time split needs rows at different times, but the earliest rows share the cut-off time " +
        `${new Date(cutTime).toISOString()}; use --split stratified`,
    );
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const r of all) (times[r]! >= cutTime ? test : train).push(r);
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}

/**
 * A time split of snapshot rows: one population labelled at a few label times, row r's label
 * settled at `labelEnds[r]` (churn: the end of its 30-day window). The rows at the latest time are
 * the test rows; a row trains only when its label was settled by then. A percentile cut would put
 * earlier snapshots among the test rows while still older ones train, and their label windows
 * overlap: one churn event would be both a training and a test label, and a customer would be
 * tested once per snapshot.
 */
export function snapshotSplit(
  times: ArrayLike<number>,
  labelEnds: ArrayLike<number>,
  rows?: ArrayLike<number>,
): Split {
  const all = rows ? Array.from(rows) : Array.from({ length: times.length }, (_, i) => i);
  let latest = Number.NEGATIVE_INFINITY;
  for (const r of all) latest = Math.max(latest, times[r]!);
  const train: number[] = [];
  const test: number[] = [];
  for (const r of all) {
    if (times[r] === latest) test.push(r);
    else if (labelEnds[r]! <= latest) train.push(r);
  }
  if (train.length === 0) {
    throw new RangeError(
      `a time split needs rows whose labels are settled by the latest label time ${new Date(latest).toISOString()}, ` +
        "and there are none (churn: build the rows with earlier label times); use --split stratified",
    );
  }
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}
