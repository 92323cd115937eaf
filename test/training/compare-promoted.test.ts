/**
 * The comparison note says "like-for-like" only when the promoted model held out the very same
 * rows: same data, same rows built from it, same split kind, test fraction and (for random splits)
 * seed. Otherwise it says how the rows differ and whether the promoted model's figures are flattered.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { promoteRun } from "../../src/training/artifact/promote.js";
import { generatedSet, sampleInput } from "../../src/training/data/generated-source.js";
import { comparisonNote } from "../../src/training/pipeline/compare-promoted.js";
import { runTraining } from "../../src/training/pipeline/run-training.js";

const modelsDir = mkdtempSync(join(tmpdir(), "nba-compare-"));
afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

const input = sampleInput({ customers: 600, days: 90, seed: 11, end: Date.UTC(2026, 0, 1) });
const history = generatedSet("churn", input, { churnHistory: true });
const plain = generatedSet("churn", input);
const base = { name: "churn", modelsDir, command: "test", now: new Date("2026-01-01T00:00:00Z") } as const;
const train = { kind: "logistic", seed: 5, epochs: 2, patience: 1 } as const;

describe("comparing with the promoted model", () => {
  it("does not call another split kind, or other rows of the same data, like-for-like", async () => {
    const first = await runTraining(history, { ...base, train: { ...train, split: "stratified" } });
    expect((await promoteRun(first, modelsDir)).promoted).toBe(true);

    const same = await runTraining(history, {
      ...base,
      train: { ...train, split: "stratified" },
      write: false,
    });
    expect(same.promoted?.note).toMatch(/like-for-like/);

    // Same data hash and seed, but held out by time: most of these rows were its training rows.
    const byTime = await runTraining(history, { ...base, train: { ...train, split: "time" }, write: false });
    expect(byTime.promoted?.evaluation).toBeDefined();
    expect(byTime.promoted?.note).not.toMatch(/like-for-like/);
    expect(byTime.promoted?.note).toMatch(/it was split stratified and this run time/);
    expect(byTime.promoted?.note).toMatch(/optimistic/);

    // The same data without the earlier label times: other rows, though the data hash is the same.
    expect(plain.info.dataHash).toBe(history.info.dataHash);
    const fewer = await runTraining(plain, {
      ...base,
      train: { ...train, split: "stratified" },
      write: false,
    });
    expect(fewer.promoted?.note).not.toMatch(/like-for-like/);
    expect(fewer.promoted?.note).toMatch(/other rows/);
  }, 60_000);

  it("words each case truthfully, and says so when the rows or split are not recorded", () => {
    const data = { dataHash: "h", rows: 100, target: "y", positiveValue: "yes" };
    const ours = { ...data, kind: "time", testFraction: 0.2, seed: 1, snapshots: false } as const;
    const note = (theirs: Parameters<typeof comparisonNote>[0]) => comparisonNote(theirs, ours);
    expect(note({ ...data, kind: "time", testFraction: 0.2, seed: 9 })).toMatch(/like-for-like/);
    expect(note({ ...data, kind: "time", testFraction: 0.3, seed: 1 })).toMatch(
      /larger .*none of these rows were its training rows/,
    );
    expect(note({ ...data, kind: "time", testFraction: 0.1, seed: 1 })).toMatch(/smaller .*optimistic/);
    expect(note({ ...data, seed: 1 })).toMatch(/its rows or split are not recorded/);
    expect(note({ ...data, rows: undefined, kind: "time", testFraction: 0.2 })).toMatch(/not recorded/);
    expect(note({ ...data, kind: "time", testFraction: 0.2, seed: 1, rows: 90 })).toMatch(/other rows/);
    expect(note({ ...data, kind: "time", testFraction: 0.2, seed: 1, positiveValue: "no" })).toMatch(
      /another target/,
    );
    expect(note({ ...data, kind: "time", testFraction: 0.2, dataHash: "g" })).toMatch(/other data/);
    const stratified = { ...ours, kind: "stratified" } as const;
    expect(comparisonNote({ ...data, kind: "stratified", testFraction: 0.2, seed: 1 }, stratified)).toMatch(
      /like-for-like/,
    );
    expect(comparisonNote({ ...data, kind: "stratified", testFraction: 0.25, seed: 1 }, stratified)).toMatch(
      /test fraction 0.25.*optimistic/,
    );
    expect(comparisonNote({ ...data, kind: "stratified", testFraction: 0.2, seed: 2 }, stratified)).toMatch(
      /seed 2.*optimistic/,
    );
    // Snapshot rows (churn at several label times): a time split always tests on the latest one.
    expect(
      comparisonNote({ ...data, kind: "time", testFraction: 0.5, seed: 3 }, { ...ours, snapshots: true }),
    ).toMatch(/like-for-like/);
  });
});
