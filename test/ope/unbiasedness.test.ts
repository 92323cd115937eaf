/**
 * Unbiasedness on simulated logs: over many independent logs, the mean IPS and DR estimates sit on
 * the target's true value, within a tolerance derived from their spread across logs (4 standard
 * errors of the mean, plus the Monte Carlo error of the truth).
 */
import { describe, expect, it } from "vitest";
import { evaluate, type LoggedDecision } from "../../src/ope/index.js";
import { simulateLog, targetPolicy, targetTruth } from "./ope-fixtures.js";

const LOGS = 150;
const ROWS = 400;
const truth = targetTruth();

const target = {
  kind: "function" as const,
  name: "sharp softmax over the true probabilities",
  distribution: (row: LoggedDecision) => targetPolicy(row.x),
};

function summary(values: readonly number[]) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, se: sd / Math.sqrt(values.length) };
}

describe("unbiasedness over simulated logs", () => {
  const estimates: Record<string, number[]> = { ips: [], snips: [], dm: [], dr: [] };
  const logged: number[] = [];
  for (let seed = 1; seed <= LOGS; seed++) {
    const report = evaluate(simulateLog(ROWS, seed), target, { bootstrap: 0, seed });
    for (const e of report.estimates) estimates[e.estimator]!.push(e.estimate);
    logged.push(report.logging.estimate);
  }

  it.each(["ips", "dr"])("%s averages to the true value", (name) => {
    const { mean, se } = summary(estimates[name]!);
    expect(Math.abs(mean - truth)).toBeLessThan(4 * se + 0.002);
  });

  it("SNIPS is consistent: close to the truth at this sample size", () => {
    const { mean, se } = summary(estimates.snips!);
    expect(Math.abs(mean - truth)).toBeLessThan(4 * se + 0.01);
  });

  it("DR varies less than IPS, and the target beats the logging policy by far", () => {
    const ips = summary(estimates.ips!);
    const dr = summary(estimates.dr!);
    expect(dr.se).toBeLessThan(ips.se);
    expect(truth).toBeGreaterThan(summary(logged).mean + 0.05);
  });
});
