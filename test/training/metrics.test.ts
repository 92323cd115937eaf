/** The metric functions on cases small enough to check by hand. */
import { describe, expect, it } from "vitest";
import { calibration } from "../../src/training/metrics/calibration.js";
import { evaluate } from "../../src/training/metrics/evaluate.js";
import { liftByDecile } from "../../src/training/metrics/lift.js";
import { prAuc, prCurve } from "../../src/training/metrics/pr-auc.js";
import { brierScore, logLoss } from "../../src/training/metrics/probability-scores.js";
import { rocAuc, rocCurve } from "../../src/training/metrics/roc-auc.js";

describe("rocAuc", () => {
  it("is 1 for a perfect ranking, 0 for a reversed one, 0.5 for all ties", () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
  });

  it("counts pairs: 3 of 4 positive-negative pairs ordered right gives 0.75", () => {
    // Positives 0.35, 0.8; negatives 0.1, 0.4: (0.35>0.1) (0.35<0.4) (0.8>0.1) (0.8>0.4).
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it("counts a tied positive-negative pair as one half", () => {
    // Pairs: (0.6 vs 0.6) tie = 0.5, (0.6 vs 0.2) = 1 -> 1.5 / 2.
    expect(rocAuc([0.6, 0.6, 0.2], [1, 0, 0])).toBeCloseTo(0.75, 12);
  });

  it("is NaN with one class, and the curve runs from (0,0) to (1,1)", () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
    const curve = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(curve[curve.length - 1]).toEqual({ fpr: 1, tpr: 1 });
  });
});

describe("prAuc (average precision)", () => {
  it("matches scikit-learn's example: 0.8333", () => {
    // Ranked: 0.8 (pos, P=1, R=.5), 0.4 (neg), 0.35 (pos, P=2/3, R=1): AP = .5*1 + .5*2/3.
    expect(prAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.5 + 0.5 * (2 / 3), 12);
    expect(prCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])[0]).toEqual({ recall: 0.5, precision: 1 });
  });

  it("is 1 for a perfect ranking and NaN without positives", () => {
    expect(prAuc([0.9, 0.1], [1, 0])).toBe(1);
    expect(prAuc([0.9, 0.1], [0, 0])).toBeNaN();
  });
});

describe("log loss and Brier", () => {
  it("cost ln 2 and 0.25 for always saying 0.5", () => {
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.LN2, 12);
    expect(brierScore([0.5, 0.5], [1, 0])).toBeCloseTo(0.25, 12);
  });

  it("are 0 for certain and right, and log loss stays finite when certain and wrong", () => {
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-12);
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-15), 6);
    expect(brierScore([0.8, 0.3], [1, 0])).toBeCloseTo((0.04 + 0.09) / 2, 12);
  });

  it("refuse mismatched or empty input", () => {
    expect(() => logLoss([0.5], [1, 0])).toThrow(/1 probabilities but 2 labels/);
    expect(() => brierScore([], [])).toThrow(/no rows/);
  });
});

describe("calibration", () => {
  it("bins by predicted probability and weighs the gaps by rows", () => {
    // Bin 1 (0.1-0.2): two rows at 0.15, one positive -> gap 0.35; bin 8 (0.8-0.9): two at 0.85, both positive -> gap 0.15.
    const c = calibration([0.15, 0.15, 0.85, 0.85], [1, 0, 1, 1]);
    expect(c.bins[1]).toMatchObject({ count: 2, meanPredicted: 0.15, observedRate: 0.5 });
    expect(c.bins[8]).toMatchObject({ count: 2, observedRate: 1 });
    expect(c.bins[8]!.meanPredicted).toBeCloseTo(0.85, 12);
    expect(c.bins[0]!.count).toBe(0);
    expect(c.ece).toBeCloseTo(0.5 * 0.35 + 0.5 * 0.15, 12);
  });

  it("puts probability 1 in the last bin", () => {
    expect(calibration([1], [1]).bins[9]!.count).toBe(1);
  });
});

describe("liftByDecile", () => {
  it("ranks by score and compares each decile's rate with the overall rate", () => {
    // 20 rows, scores 20..1; the top 2 rows are the only positives (overall rate 0.1).
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const labels = scores.map((_, i) => (i < 2 ? 1 : 0));
    const lift = liftByDecile(scores, labels);
    expect(lift).toHaveLength(10);
    expect(lift[0]).toMatchObject({
      decile: 1,
      count: 2,
      positives: 2,
      rate: 1,
      lift: 10,
      cumulativeCapture: 1,
    });
    expect(lift[9]).toMatchObject({ positives: 0, lift: 0, cumulativeCapture: 1 });
  });
});

describe("evaluate", () => {
  it("gathers the headline numbers and thinned curves", () => {
    const p = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const y = p.map((q, i) => (i % 10 < q * 10 ? 1 : 0));
    const e = evaluate(p, y);
    expect(e.rows).toBe(1000);
    expect(e.roc.length).toBeLessThanOrEqual(200);
    expect(e.rocAuc).toBeGreaterThan(0.8);
    expect(e.ece).toBeLessThan(0.1);
  });
});
