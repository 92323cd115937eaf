/**
 * scikit-learn's stratified split, index for index. Every expected value below was printed by numpy
 * 1.24 / scikit-learn 1.2 (Debian bookworm):
 *   np.random.RandomState(42).randint(0, 2**32, size=5, dtype=np.uint32)
 *   np.random.RandomState(42).permutation(10); np.random.RandomState(7).permutation(1000)[:8]
 *   train_test_split(np.arange(n), test_size=f, stratify=y, random_state=seed)[1], sorted
 * On the two real data sets (../shared/data) the same code reproduces sklearn's 8,238 bank and 1,409
 * Telco test rows exactly (checked by hand; those files are not available to the tests).
 */
import { describe, expect, it } from "vitest";
import { NumpyRandomState, sklearnStratifiedSplit } from "../../src/training/sklearn-split.js";

describe("numpy's legacy RandomState", () => {
  it("draws numpy's MT19937 words and permutations for a seed", () => {
    const r = new NumpyRandomState(42);
    expect(Array.from({ length: 5 }, () => r.nextUint32())).toEqual([
      1608637542, 3421126067, 4083286876, 787846414, 3143890026,
    ]);
    expect(Array.from(new NumpyRandomState(42).permutation(10))).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
    expect(Array.from(new NumpyRandomState(7).permutation(1000).subarray(0, 8))).toEqual([
      778, 334, 271, 802, 216, 408, 812, 94,
    ]);
  });

  it("refuses a seed numpy refuses", () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/0\.\.2\^32-1/);
    expect(() => new NumpyRandomState(1.5)).toThrow(/integer/);
  });
});

describe("sklearnStratifiedSplit", () => {
  it("picks sklearn's test rows: two classes, seed 42", () => {
    const labels = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 11 < 2 ? 1 : 0));
    const s = sklearnStratifiedSplit(labels, 0.2, 42);
    expect(Array.from(s.test.subarray(0, 20))).toEqual([
      0, 2, 5, 16, 17, 22, 25, 26, 34, 39, 41, 42, 49, 58, 63, 65, 71, 75, 79, 86,
    ]);
    expect(s.test).toHaveLength(200);
    expect(Array.from(s.test).filter((r) => labels[r] === 1)).toHaveLength(36);
    expect(s.train).toHaveLength(800);
    expect(new Set([...s.train, ...s.test]).size).toBe(1000);
  });

  it("picks sklearn's test rows: three uneven classes, remainders shared out at random", () => {
    const labels = Array.from({ length: 37 }, (_, i) => (i % 3 === 0 ? 1 : 0) + (i % 5 === 0 ? 1 : 0));
    expect(Array.from(sklearnStratifiedSplit(labels, 0.3, 5).test)).toEqual([
      3, 5, 7, 12, 13, 20, 26, 28, 29, 30, 32, 36,
    ]);
  });

  it("splits a subset of rows as sklearn splits that subset in ascending order", () => {
    const labels = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 11 < 2 ? 1 : 0));
    const rows = Array.from({ length: 1000 }, (_, i) => 2 * i);
    const whole = sklearnStratifiedSplit(
      rows.map((r) => labels[r]!),
      0.2,
      42,
    );
    const subset = sklearnStratifiedSplit(labels, 0.2, 42, rows);
    expect(Array.from(subset.test)).toEqual(Array.from(whole.test, (k) => rows[k]!));
  });

  it("explains what it cannot split", () => {
    expect(() => sklearnStratifiedSplit([0, 1, 0, 1], 1, 42)).toThrow(/between 0 and 1/);
    expect(() => sklearnStratifiedSplit([1, 1, 1, 1], 0.5, 42)).toThrow(/two classes/);
    expect(() => sklearnStratifiedSplit([0, 0, 0, 0, 1], 0.4, 42)).toThrow(/class 1 has 1/);
  });
});
