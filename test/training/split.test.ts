/** Seeded splits: class balance, determinism, and time order. */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random/seeded-random.js";
import { snapshotSplit, stratifiedSplit, timeSplit } from "../../src/training/split.js";

describe("splits", () => {
  const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i % 10 === 0 ? 1 : 0));

  it("stratified: 20% of each class in test, disjoint, same seed same split", () => {
    const a = stratifiedSplit(labels, 0.2, createRandom(1));
    const b = stratifiedSplit(labels, 0.2, createRandom(1));
    const c = stratifiedSplit(labels, 0.2, createRandom(2));
    expect(a.test.length).toBe(200);
    expect(Array.from(a.test).filter((r) => labels[r] === 1)).toHaveLength(20);
    expect(new Set([...a.train, ...a.test]).size).toBe(1000);
    expect(Array.from(b.test)).toEqual(Array.from(a.test));
    expect(Array.from(c.test)).not.toEqual(Array.from(a.test));
  });

  it("time: the latest rows are the test rows, ties at the cut go to test", () => {
    const times = Float64Array.from([5, 1, 3, 3, 2, 4, 9, 8, 7, 6]);
    const s = timeSplit(times, 0.3);
    expect(Array.from(s.test)).toEqual([6, 7, 8]);
    expect(Array.from(timeSplit(Float64Array.from([1, 2, 3, 3]), 0.25).test)).toEqual([2, 3]);
    expect(() => timeSplit(Float64Array.from([1, 1, 1]), 0.2)).toThrow(/different times/);
    expect(() => stratifiedSplit(labels, 1, createRandom(1))).toThrow(/between 0 and 1/);
  });

  it("snapshots: the latest label time is the test set; rows whose label is not settled by then never train", () => {
    // Label times 0, 7, 14 and 30 with 30-day windows: only the row at 0 is settled by 30.
    const times = Float64Array.from([0, 0, 7, 14, 30, 30]);
    const ends = times.map((t) => t + 30);
    const s = snapshotSplit(times, ends);
    expect(Array.from(s.test)).toEqual([4, 5]);
    expect(Array.from(s.train)).toEqual([0, 1]);
    expect(() => snapshotSplit(Float64Array.from([5, 5]), Float64Array.from([35, 35]))).toThrow(
      /settled by the latest label time/,
    );
  });
});
