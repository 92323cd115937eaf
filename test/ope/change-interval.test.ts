/**
 * The change against the logging policy, with its paired bootstrap interval, and the report's reading
 * of it: better, worse, or no detectable difference.
 */
import { describe, expect, it } from "vitest";
import { evaluate, formatReport, type LoggedDecision } from "../../src/ope/index.js";
import { loggingPolicy, simulateLog, targetPolicy, trueP } from "./ope-fixtures.js";

const rows = simulateLog(3_000, 21);
const policy = (name: string, distribution: (x: ArrayLike<number>) => ArrayLike<number>) => ({
  kind: "function" as const,
  name,
  distribution: (row: LoggedDecision) => distribution(row.x),
});

describe("the change against the logging policy", () => {
  it("is about zero, with an interval around zero, for the logging policy itself", () => {
    const report = evaluate(rows, policy("the logging policy", loggingPolicy), { bootstrap: 300 });
    const dr = report.estimates.find((r) => r.estimator === "dr")!;
    const vs = dr.vsLogging!;
    expect(vs.difference).toBeCloseTo(dr.estimate - report.logging.estimate, 12);
    expect(vs.lower).toBeLessThan(0);
    expect(vs.upper).toBeGreaterThan(0);
    // Paired replicates: far narrower than the two estimates' own intervals side by side.
    expect(vs.upper - vs.lower).toBeLessThan((dr.upper - dr.lower) / 2);
    expect(formatReport(report)).toContain("no difference from the logging policy is detectable");
  });

  it("says better for a target that picks the most likely acceptance, and worse for the least likely", () => {
    const better = evaluate(rows, policy("sharp", targetPolicy), { bootstrap: 300 });
    const vs = better.estimates.find((r) => r.estimator === "dr")!.vsLogging!;
    expect(vs.lower).toBeGreaterThan(0);
    expect(formatReport(better)).toMatch(
      /reading: doubly robust puts the target \+[\d.]+% .*: the target is better/,
    );

    const worst = (x: ArrayLike<number>) => {
      const p = trueP(x);
      const a = p.indexOf(Math.min(...p));
      return p.map((_, i) => (i === a ? 1 : 0));
    };
    const worse = evaluate(rows, policy("worst", worst), { bootstrap: 300 });
    expect(worse.estimates.find((r) => r.estimator === "dr")!.vsLogging!.upper).toBeLessThan(0);
    expect(formatReport(worse)).toContain("the target is worse than the logging policy");
  });

  it("has no interval, and says so, without bootstrap replicates", () => {
    const report = evaluate(rows, policy("sharp", targetPolicy), { bootstrap: 0 });
    expect(Number.isNaN(report.estimates[0]!.vsLogging!.lower)).toBe(true);
    expect(formatReport(report)).toContain("without bootstrap replicates there is no interval");
  });
});
