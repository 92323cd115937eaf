import { describe, expect, it } from "vitest";
import { formatSummary } from "../../src/training/cli/summary.js";
import type { TrainingRun } from "../../src/training/pipeline/run-training.js";

const metrics = (rocAuc: number, logLoss: number) => ({
  rocAuc,
  prAuc: 0.3,
  logLoss,
  brier: 0.05,
  ece: 0.01,
  rows: 1000,
  positives: 80,
});

/** The parts of a run the summary reads. */
const run = (auc: number, logLoss: number, promotedAuc: number, promotedLogLoss: number) =>
  ({
    metadata: { name: "churn", kind: "logistic", version: "new0000000000000" },
    trained: { evaluation: metrics(auc, logLoss), options: { split: "stratified", seed: 42 } },
    promoted: {
      version: "old0000000000000",
      note: "same data and seed",
      evaluation: metrics(promotedAuc, promotedLogLoss),
    },
    parityMaxAbsDiff: 1e-7,
  }) as unknown as TrainingRun;

const verdict = (r: TrainingRun) =>
  formatSummary(r)
    .split("\n")
    .find((l) => l.startsWith("verdict:"));

describe("the training summary's verdict", () => {
  it("says better, worse, mixed, or the same (differences below the printed precision)", () => {
    expect(verdict(run(0.71, 0.2, 0.7, 0.21))).toMatch(/^verdict: BETTER than promoted old/);
    expect(verdict(run(0.69, 0.22, 0.7, 0.21))).toMatch(/^verdict: WORSE than/);
    expect(verdict(run(0.71, 0.22, 0.7, 0.21))).toMatch(/^verdict: MIXED against/);
    expect(verdict(run(0.70001, 0.21001, 0.7, 0.21))).toMatch(/^verdict: THE SAME AS promoted/);
  });
});
