/** The seeded bootstrap: reproducible, configurable, and honest about its intervals. */
import { describe, expect, it } from "vitest";
import { quantile } from "../../src/ope/bootstrap.js";
import { bootstrap, evaluate, type LoggedDecision } from "../../src/ope/index.js";
import { simulateLog, targetPolicy } from "./ope-fixtures.js";

const mean = (values: Float64Array) => (counts: Uint32Array) => {
  let s = 0;
  let n = 0;
  counts.forEach((c, i) => {
    s += c * values[i]!;
    n += c;
  });
  return s / n;
};

describe("bootstrap", () => {
  const values = Float64Array.from({ length: 200 }, (_, i) => (i % 7) / 7);

  it("gives the same intervals for the same seed and different ones for another", () => {
    const a = bootstrap(values.length, [mean(values)], { replicates: 300, seed: 5, confidence: 0.95 });
    const b = bootstrap(values.length, [mean(values)], { replicates: 300, seed: 5, confidence: 0.95 });
    const c = bootstrap(values.length, [mean(values)], { replicates: 300, seed: 6, confidence: 0.95 });
    expect(a).toEqual(b);
    expect(c[0]!.lower).not.toBe(a[0]!.lower);
  });

  it("has a standard error close to sd/sqrt(n) for a mean", () => {
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
    const [iv] = bootstrap(values.length, [mean(values)], { replicates: 2000, seed: 1, confidence: 0.95 });
    expect(iv!.standardError).toBeGreaterThan(0.9 * (sd / Math.sqrt(values.length)));
    expect(iv!.standardError).toBeLessThan(1.1 * (sd / Math.sqrt(values.length)));
    expect(iv!.lower).toBeLessThan(m);
    expect(iv!.upper).toBeGreaterThan(m);
  });

  it("gives NaN intervals with no replicates", () => {
    const [iv] = bootstrap(values.length, [mean(values)], { replicates: 0, seed: 1, confidence: 0.95 });
    expect(iv!.lower).toBeNaN();
    expect(iv!.upper).toBeNaN();
  });

  it("interpolates quantiles linearly", () => {
    const sorted = new Float64Array([1, 2, 3, 4, 5]);
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 0.5)).toBe(3);
    expect(quantile(sorted, 0.125)).toBe(1.5);
    expect(quantile(sorted, 1)).toBe(5);
  });
});

describe("evaluate's intervals", () => {
  const rows = simulateLog(500, 3);
  const target = {
    kind: "function" as const,
    name: "t",
    distribution: (row: LoggedDecision) => targetPolicy(row.x),
  };

  it("are deterministic for a seed and follow B", () => {
    const a = evaluate(rows, target, { bootstrap: 200, seed: 9 });
    const b = evaluate(rows, target, { bootstrap: 200, seed: 9 });
    const c = evaluate(rows, target, { bootstrap: 200, seed: 10 });
    expect(a).toEqual(b);
    expect(c.estimates[0]!.lower).not.toBe(a.estimates[0]!.lower);
    expect(a.options.bootstrap).toBe(200);
    for (const e of [a.logging, ...a.estimates]) {
      expect(e.lower).toBeLessThanOrEqual(e.upper);
      expect(e.standardError).toBeGreaterThan(0);
    }
  });
});
