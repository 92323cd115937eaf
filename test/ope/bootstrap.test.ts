/** The seeded bootstrap: reproducible, configurable, and honest about its intervals. */
import { describe, expect, it } from "vitest";
import { quantile } from "../../src/ope/bootstrap.js";
import { bootstrap, evaluate, fitRewardModel, type LoggedDecision } from "../../src/ope/index.js";
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

describe("the reward model in the bootstrap", () => {
  const rows = simulateLog(150, 4);
  const target = {
    kind: "function" as const,
    name: "t",
    distribution: (row: LoggedDecision) => targetPolicy(row.x),
  };

  it("is refitted on every replicate, and the same fit with every row once is the point fit", () => {
    const model = fitRewardModel(rows, { seed: 2 });
    const ones = model.refit(new Uint32Array(rows.length).fill(1));
    rows.forEach((r, i) => {
      r.candidates.forEach((_, k) => {
        expect(ones.predict(i, k)).toBe(model.predictions[i]![k]);
      });
    });
    const weights: Uint32Array[] = [];
    const spy = {
      ...model,
      refit: (w: Uint32Array) => {
        weights.push(Uint32Array.from(w));
        return model.refit(w);
      },
    };
    const report = evaluate(rows, target, { bootstrap: 25, seed: 2, rewardModel: spy });
    expect(weights).toHaveLength(25);
    for (const w of weights) expect(w.reduce((s, c) => s + c, 0)).toBe(rows.length);
    expect(new Set(weights.map((w) => w.join(","))).size).toBe(25);
    expect(report.options.refitRewardModel).toBe(true);
    expect(report.rewardModel).toMatch(/refitted on every bootstrap replicate$/);
  });

  it("widens the DM interval on a small log (the model's own variance is in it)", () => {
    const refit = evaluate(rows, target, { bootstrap: 300, seed: 5 });
    const fixed = evaluate(rows, target, { bootstrap: 300, seed: 5, refitRewardModel: false });
    const width = (r: typeof refit, e: string) => {
      const row = r.estimates.find((x) => x.estimator === e)!;
      return row.upper - row.lower;
    };
    expect(width(refit, "dm")).toBeGreaterThan(2 * width(fixed, "dm"));
    // Same point estimates, and the weighted estimators do not read the model.
    expect(refit.estimates.map((e) => e.estimate)).toEqual(fixed.estimates.map((e) => e.estimate));
    expect(width(refit, "ips")).toBe(width(fixed, "ips"));
    expect(fixed.rewardModel).toMatch(/not refitted per bootstrap replicate/);
  });
});
