import { describe, expect, it } from "vitest";
import {
  SIGMOID_TABLE_OFFSET,
  SIGMOID_TABLE_SCALE,
  sigmoid,
  sigmoidAt,
  sigmoidFast,
} from "../../src/bandit/sigmoid.js";
import { createRandom } from "../../src/random/seeded-random.js";

describe("the σ table of Thompson sampling's draws", () => {
  it("is within 1e-6 of σ, monotone, and clamps log-odds at ±30", () => {
    const rng = createRandom(3);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const z = -35 + 70 * rng.next();
      worst = Math.max(worst, Math.abs(sigmoidFast(z) - sigmoid(z)));
    }
    expect(worst).toBeLessThan(1e-6);
    let previous = -1;
    for (let z = -31; z <= 31; z += 0.001) {
      const p = sigmoidFast(z);
      expect(p).toBeGreaterThanOrEqual(previous);
      previous = p;
    }
    expect(sigmoidFast(-1e9)).toBe(sigmoidFast(-30));
    expect(sigmoidFast(1e9)).toBe(sigmoidFast(30));
  });

  it("reads the same value in table coordinates as from log-odds", () => {
    const rng = createRandom(4);
    for (let i = 0; i < 10_000; i++) {
      const z = -40 + 80 * rng.next();
      expect(sigmoidAt(SIGMOID_TABLE_OFFSET + SIGMOID_TABLE_SCALE * z)).toBe(sigmoidFast(z));
    }
  });
});
