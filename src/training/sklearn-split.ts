/**
 * scikit-learn's stratified split, index for index: the rows that
 * `train_test_split(X, y, test_size=f, stratify=y, random_state=seed)` puts on each side. A data
 * scientist comparing with a Python baseline (or a reference figure measured that way) then scores
 * both models on the same rows: on a 40,000-row file two different 80/20 splits move one model's
 * AUC by 0.01-0.02, more than most differences worth judging (docs/models.md).
 *
 * It reproduces numpy's legacy `RandomState(seed)` (MT19937 seeded with init_genrand, Fisher-Yates
 * with masked rejection sampling) and `StratifiedShuffleSplit._iter_indices` with
 * `_approximate_mode`; test/training/sklearn-split.test.ts pins it to indices and draws numpy printed.
 */
import { checkFraction, type Split } from "./split.js";

const N = 624;
const M = 397;

/** numpy's legacy RandomState: MT19937 and the draws the split needs. */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`a numpy seed must be an integer in 0..2^32-1, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform integer in [0, max] by masked rejection (numpy's `random_interval`, max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const value = (this.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** `RandomState.shuffle` of a 1-d array, in place. */
  shuffle(values: Uint32Array): Uint32Array {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = values[i]!;
      values[i] = values[j]!;
      values[j] = t;
    }
    return values;
  }

  /** `RandomState.permutation(n)`. */
  permutation(n: number): Uint32Array {
    return this.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = (mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }
}

/**
 * sklearn's `_approximate_mode`: the per-class counts of `draws` rows closest to the class shares,
 * remainders handed out largest first, ties broken at random with the same generator.
 */
export function approximateMode(
  classCounts: readonly number[],
  draws: number,
  rng: NumpyRandomState,
): number[] {
  const total = classCounts.reduce((a, b) => a + b, 0);
  const continuous = classCounts.map((c) => (c / total) * draws);
  const floored = continuous.map(Math.floor);
  let needToAdd = Math.trunc(draws - floored.reduce((a, b) => a + b, 0));
  if (needToAdd > 0) {
    const remainder = continuous.map((c, i) => c - floored[i]!);
    const values = [...new Set(remainder)].sort((a, b) => b - a);
    for (const value of values) {
      const inds = remainder.flatMap((r, i) => (r === value ? [i] : []));
      const addNow = Math.min(inds.length, needToAdd);
      // rng.choice(inds, addNow, replace=False) = the first addNow of a permutation of inds.
      const chosen = rng.permutation(inds.length).subarray(0, addNow);
      for (const k of chosen) floored[inds[k]!]!++;
      needToAdd -= addNow;
      if (needToAdd === 0) break;
    }
  }
  return floored;
}

/**
 * The rows `train_test_split(rows, stratify=labels[rows], test_size=testFraction,
 * random_state=seed)` puts on each side (`rows` default all), ascending like every Split.
 * Classes are the distinct label values in ascending order, as `np.unique` sorts them.
 */
export function sklearnStratifiedSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  seed: number,
  rows?: ArrayLike<number>,
): Split {
  checkFraction(testFraction);
  const all = rows ? Array.from(rows) : Array.from({ length: labels.length }, (_, i) => i);
  const n = all.length;
  const nTest = Math.ceil(testFraction * n);
  const nTrain = n - nTest;
  const classes = [...new Set(all.map((r) => labels[r]!))].sort((a, b) => a - b);
  if (classes.length < 2 || nTrain < classes.length || nTest < classes.length) {
    throw new RangeError(
      `a stratified split needs at least two classes and one row of each on both sides (${n} rows, ${classes.length} classes)`,
    );
  }
  // np.argsort(y_indices, kind="mergesort") split by class: each class's positions, in row order.
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const members: number[][] = classes.map(() => []);
  for (const [position, r] of all.entries()) members[classOf.get(labels[r]!)!]!.push(position);
  const counts = members.map((m) => m.length);
  for (const [i, c] of counts.entries()) {
    if (c < 2)
      throw new RangeError(`a stratified split needs two rows of each class; class ${classes[i]} has ${c}`);
  }

  const rng = new NumpyRandomState(seed);
  const trainCounts = approximateMode(counts, nTrain, rng);
  const testCounts = approximateMode(
    counts.map((c, i) => c - trainCounts[i]!),
    nTest,
    rng,
  );
  const train: number[] = [];
  const test: number[] = [];
  members.forEach((positions, i) => {
    const order = rng.permutation(positions.length);
    for (let k = 0; k < trainCounts[i]! + testCounts[i]!; k++) {
      (k < trainCounts[i]! ? train : test).push(all[positions[order[k]!]!]!);
    }
  });
  // sklearn then permutes each side; the draws change no membership, and a Split lists rows ascending.
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}
