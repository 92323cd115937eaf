/** The estimators on a four-row log whose values can be worked out by hand. */
import { describe, expect, it } from "vitest";
import {
  directMethod,
  doublyRobust,
  type EstimatorInput,
  effectiveSampleSize,
  evaluate,
  ips,
  snips,
  targetProbabilitiesOf,
} from "../../src/ope/index.js";
import { loggedRow } from "./ope-fixtures.js";

// r = [1, 0, 1, 0], μ(a_i) = [0.5, 0.25, 0.5, 0.8], π(a_i) = [1, 0.5, 0, 0.4]  ->  w = [2, 2, 0, 0.5]
const input: EstimatorInput = {
  n: 4,
  reward: new Float64Array([1, 0, 1, 0]),
  weight: new Float64Array([2, 2, 0, 0.5]),
  predictedLogged: new Float64Array([0.6, 0.2, 0.5, 0.1]),
  predictedTarget: new Float64Array([0.6, 0.3, 0.4, 0.2]),
};

describe("estimators on four rows", () => {
  it("IPS is the mean of w·r", () => {
    expect(ips.estimate(input)).toBeCloseTo((2 * 1 + 2 * 0 + 0 * 1 + 0.5 * 0) / 4, 12); // 0.5
  });

  it("SNIPS divides by the sum of the weights", () => {
    expect(snips.estimate(input)).toBeCloseTo(2 / 4.5, 12);
  });

  it("DM is the mean of the model's value of the target", () => {
    expect(directMethod.estimate(input)).toBeCloseTo((0.6 + 0.3 + 0.4 + 0.2) / 4, 12); // 0.375
  });

  it("DR adds the weighted residuals to DM", () => {
    // 0.375 + (2·0.4 + 2·(−0.2) + 0·0.5 + 0.5·(−0.1)) / 4 = 0.375 + 0.0875
    expect(doublyRobust.estimate(input)).toBeCloseTo(0.4625, 12);
  });

  it("takes bootstrap multiplicities instead of copies", () => {
    const counts = new Uint32Array([2, 0, 1, 1]);
    expect(ips.estimate(input, counts)).toBeCloseTo((2 * 2 * 1 + 0 + 0.5 * 0) / 4, 12); // 1
    expect(snips.estimate(input, counts)).toBeCloseTo(4 / (2 * 2 + 0 + 0.5), 12);
    expect(ips.estimate(input, new Uint32Array(4))).toBeNaN();
  });

  it("the effective sample size is (Σw)²/Σw²", () => {
    expect(effectiveSampleSize(input.weight)).toBeCloseTo(4.5 ** 2 / 8.25, 12);
    expect(effectiveSampleSize([1, 1, 1])).toBe(3);
    expect(effectiveSampleSize([0, 0])).toBe(0);
  });
});

describe("evaluate on four rows", () => {
  // Two candidates; π over [a, b] per row; the logged action and its μ as above.
  const rows = [
    loggedRow({ action: 0, reward: 1, loggingProbabilities: new Float64Array([0.5, 0.5]) }),
    loggedRow({ action: 1, reward: 0, loggingProbabilities: new Float64Array([0.75, 0.25]) }),
    loggedRow({ action: 0, reward: 1, loggingProbabilities: new Float64Array([0.5, 0.5]) }),
    loggedRow({ action: 1, reward: 0, loggingProbabilities: new Float64Array([0.2, 0.8]) }),
  ];
  const pi = [
    [1, 0],
    [0.5, 0.5],
    [0, 1],
    [0.6, 0.4],
  ];
  const target = {
    kind: "function" as const,
    name: "fixed",
    distribution: (_: unknown, i: number) => pi[i]!,
  };

  it("gives the exact IPS and SNIPS, the observed logging value and the weights' ESS", () => {
    const report = evaluate(rows, target, { bootstrap: 0 });
    const by = Object.fromEntries(report.estimates.map((e) => [e.estimator, e]));
    expect(by.ips!.estimate).toBeCloseTo(0.5, 12);
    expect(by.snips!.estimate).toBeCloseTo(2 / 4.5, 12);
    expect(by.ips!.ess).toBeCloseTo(4.5 ** 2 / 8.25, 12);
    expect(by.dm!.ess).toBe(4);
    expect(report.logging.estimate).toBe(0.5);
    expect(report.diagnostics.meanWeight).toBeCloseTo(4.5 / 4, 12);
    expect(report.diagnostics.maxWeight).toBe(2);
    expect(Number.isNaN(by.dr!.lower)).toBe(true);
  });

  it("clips weights at the clip level and reports what it changed", () => {
    const report = evaluate(rows, target, { bootstrap: 0, clip: 1 });
    const by = Object.fromEntries(report.estimates.map((e) => [e.estimator, e]));
    // w = [1, 1, 0, 0.5]
    expect(by.ips!.estimate).toBeCloseTo(1 / 4, 12);
    expect(by.snips!.estimate).toBeCloseTo(1 / 2.5, 12);
    expect(report.diagnostics.clippedRows).toBe(2);
    expect(report.diagnostics.clippedMass).toBeCloseTo(1 - 2.5 / 4.5, 12);
    expect(report.diagnostics.maxWeight).toBe(2); // before clipping
    expect(report.options.clip).toBe(1);
    expect(report.warnings.some((w) => w.startsWith("clipping at 1 changed 2 rows"))).toBe(true);
  });

  it("a clip level above every weight changes nothing", () => {
    const plain = evaluate(rows, target, { bootstrap: 0 });
    const clipped = evaluate(rows, target, { bootstrap: 0, clip: 10 });
    expect(clipped.estimates.map((e) => e.estimate)).toEqual(plain.estimates.map((e) => e.estimate));
    expect(clipped.diagnostics.clippedRows).toBe(0);
  });

  it("refuses bad options", () => {
    expect(() => evaluate(rows, target, { clip: 0 })).toThrow("clip must be more than 0");
    expect(() => evaluate(rows, target, { bootstrap: 1.5 })).toThrow("bootstrap");
    expect(() => evaluate([], target)).toThrow("the log has no rows");
    // A target that fits no row says why for the first one (here: a file made for another log).
    expect(() =>
      evaluate(rows, {
        kind: "probabilities",
        probabilities: targetProbabilitiesOf([{ decisionId: "elsewhere", probabilities: { a: 1 } }]),
      }),
    ).toThrow(
      `the target cannot be evaluated on any row of the log (first at line ${rows[0]!.line}: no target probabilities for ${rows[0]!.id})`,
    );
  });
});
