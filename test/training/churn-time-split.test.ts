/**
 * Churn with a time split: rows at earlier label times (labels known by the latest label time)
 * train the model, the customers at the generator's label time test it, like-for-like with the truth.
 */
import { describe, expect, it } from "vitest";
import { CHURN_WINDOW_DAYS, earlierLabelTimes } from "../../src/training/data/generated-rows.js";
import { generatedSet, sampleInput } from "../../src/training/data/generated-source.js";
import { trainModel } from "../../src/training/pipeline/train-model.js";

const DAY = 86_400_000;
const end = Date.UTC(2026, 0, 1);

describe("churn time split", () => {
  it("label times: 30 days before the label time, then weekly, each with 30 days of history", () => {
    const start = end - 120 * DAY;
    const labelTime = end - 30 * DAY;
    expect(earlierLabelTimes(labelTime, start)).toEqual([
      labelTime - 30 * DAY,
      labelTime - 37 * DAY,
      labelTime - 44 * DAY,
      labelTime - 51 * DAY,
      labelTime - 58 * DAY,
    ]);
    expect(earlierLabelTimes(labelTime, end - 60 * DAY)).toEqual([]);
  });

  it("trains on earlier label times and tests on the latest, whose labels and truth are the generator's", async () => {
    const input = sampleInput({ customers: 1500, days: 90, seed: 11, end });
    const plain = generatedSet("churn", input);
    const set = generatedSet("churn", input, { churnHistory: true });
    const labelTime = input.customers[0]!.labelTime;
    const times = new Set(set.times);
    expect([...times].sort()).toEqual([labelTime - CHURN_WINDOW_DAYS * DAY, labelTime]);
    // The rows at the label time are exactly the plain set's rows.
    const latest = Array.from(set.times!).flatMap((t, r) => (t === labelTime ? [r] : []));
    expect(latest.length).toBe(plain.labels.length);
    expect(latest.map((r) => set.labels[r])).toEqual(Array.from(plain.labels));
    // An earlier row's label: churned within its own 30-day window, which ends by the label time.
    const earlierRows = set.labels.length - latest.length;
    expect(earlierRows).toBeGreaterThan(latest.length);
    const churnedEarly = input.customers.filter(
      (c) => c.churnedAt !== null && c.churnedAt > labelTime - 30 * DAY && c.churnedAt <= labelTime,
    );
    expect(Array.from(set.labels.subarray(0, earlierRows)).reduce((s, y) => s + y, 0)).toBe(
      churnedEarly.length,
    );

    const m = await trainModel(set, { kind: "logistic", seed: 3, split: "time", epochs: 4, patience: 2 });
    expect(Array.from(m.split.test).every((r) => set.times![r] === labelTime)).toBe(true);
    expect(Array.from(m.split.train).every((r) => set.times![r]! < labelTime)).toBe(true);
    expect(m.split.test.length).toBe(latest.length);
    expect(m.truthEvaluation?.rows).toBe(latest.length);
    expect(m.evaluation.rocAuc).toBeGreaterThan(0.5);
  });

  it("with 120 days (five earlier label times), tests on the customers at T only and trains on labels settled by T", async () => {
    const input = sampleInput({ customers: 500, days: 120, seed: 11, end });
    const plain = generatedSet("churn", input);
    const set = generatedSet("churn", input, { churnHistory: true });
    const labelTime = input.customers[0]!.labelTime;
    expect(new Set(set.times).size).toBe(6);
    const m = await trainModel(set, { kind: "logistic", seed: 3, split: "time", epochs: 2, patience: 1 });
    const test = Array.from(m.split.test);
    const train = Array.from(m.split.train);
    // The test rows are the customers at T, each once: exactly the plain set's rows.
    expect(test.every((r) => set.times![r] === labelTime)).toBe(true);
    expect(test.length).toBe(plain.labels.length);
    expect(test.map((r) => set.labels[r])).toEqual(Array.from(plain.labels));
    // No training label window (T_k, T_k + 30d] reaches past the earliest test label time.
    const earliestTest = Math.min(...test.map((r) => set.times![r]!));
    expect(Math.max(...train.map((r) => set.times![r]! + CHURN_WINDOW_DAYS * DAY))).toBeLessThanOrEqual(
      earliestTest,
    );
    expect(train.length + test.length).toBe(set.labels.length);
    expect(m.truthEvaluation?.rows).toBe(test.length);
  });

  it("refuses --test-fraction with a time split of churn snapshots (the test rows are the customers at T)", async () => {
    const set = generatedSet("churn", sampleInput({ customers: 200, days: 90, seed: 11, end }), {
      churnHistory: true,
    });
    await expect(
      trainModel(set, { kind: "logistic", seed: 3, split: "time", testFraction: 0.3, epochs: 1 }),
    ).rejects.toThrow(/--test-fraction/);
  });

  it("refuses a time split when there is not enough history before the label time", () => {
    const input = sampleInput({ customers: 50, days: 45, seed: 11, end });
    expect(() => generatedSet("churn", input, { churnHistory: true })).toThrow(/time split of churn/);
  });
});
