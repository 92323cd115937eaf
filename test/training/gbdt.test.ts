/**
 * Gradient-boosted trees: the maths on a hand-made set (bins, histogram, best split, leaf values
 * worked out by hand), histogram subtraction, a pattern only trees can learn (XOR), determinism,
 * ONNX parity (onnxruntime vs the TypeScript tree walk) and a gbdt artifact the service loads.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createRandom } from "../../src/random/seeded-random.js";
import { binMatrix } from "../../src/training/gbdt/binned-matrix.js";
import { binOf, boundaryBetween, fitBoundaries } from "../../src/training/gbdt/bins.js";
import { buildHistogram, histogramLength, subtractHistogram } from "../../src/training/gbdt/histogram.js";
import { predictTreeProbabilities } from "../../src/training/gbdt/predict.js";
import { bestSplit, leafWeight } from "../../src/training/gbdt/split.js";
import { createWorkspace, growTree } from "../../src/training/gbdt/tree.js";
import { exportTreeOnnx } from "../../src/training/onnx/export-tree-onnx.js";
import { createOnnxScorer } from "../../src/training/onnx/onnx-scorer.js";
import { type TrainedModel, trainModel } from "../../src/training/pipeline/train-model.js";
import type { TreeModel } from "../../src/training/pipeline/tree-model.js";
import { encodeTable } from "../../src/training/prep/encode-table.js";
import type { TrainingSet } from "../../src/training/table.js";
import { smallSet, trainWriteAndServe } from "./fixtures.js";

const modelsDir = mkdtempSync(join(tmpdir(), "nba-gbdt-"));
afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

function treesOf(m: TrainedModel): TreeModel {
  if (m.model.type !== "trees") throw new Error(`expected trees, got ${m.model.type}`);
  return m.model;
}

const quick = { trees: 60, patience: 20 } as const;

describe("gbdt bins", () => {
  it("gives a 0/1 column two bins split at 0.5, and thresholds that are float32 values", () => {
    expect(Array.from(fitBoundaries(Float32Array.from([0, 1, 1, 0, 1]), 255))).toEqual([0.5]);
    const values = Float32Array.from({ length: 10_000 }, (_, i) => Math.fround(Math.sin(i) * 3));
    const bounds = fitBoundaries(values, 255);
    expect(bounds.length).toBeLessThanOrEqual(254);
    expect(bounds.length).toBeGreaterThan(200);
    for (const t of bounds) expect(Math.fround(t)).toBe(t);
    // Binning is "x <= threshold": a value equal to a boundary is in the lower bin.
    expect(binOf(bounds[10]!, bounds)).toBe(10);
    expect(binOf(Math.fround(bounds[10]! + 1e-3), bounds)).toBe(11);
    expect(binOf(Number.NaN, bounds)).toBe(bounds.length);
    // Adjacent float32 values leave no room for a midpoint: the lower value separates them.
    const a = Math.fround(1);
    const next = new Float32Array(
      new Uint32Array([new Uint32Array(Float32Array.of(1).buffer)[0]! + 1]).buffer,
    )[0]!;
    expect(boundaryBetween(a, next)).toBe(a);
  });

  it("gives a heavy value its own bin when cutting quantiles", () => {
    const values = Float32Array.from({ length: 1000 }, (_, i) => (i < 600 ? 0 : i));
    const bounds = fitBoundaries(values, 10);
    expect(bounds.length).toBeLessThanOrEqual(9);
    expect(bounds[0]).toBe(300); // halfway between 0 (600 rows) and 600
    const counts = new Array(bounds.length + 1).fill(0);
    for (const v of values) counts[binOf(v, bounds)]++;
    expect(counts[0]).toBe(600);
    expect(Math.max(...counts.slice(1))).toBeLessThanOrEqual(400 / 9 + 1);
  });
});

describe("gbdt split maths on a hand-made set", () => {
  // Six rows, two columns. Labels 1,1,1,0,0,0 at margin 0 (p = 0.5): gradient p − y = ∓0.5,
  // hessian p(1 − p) = 0.25. Column 0 separates the labels at 3 | 4; column 1 (0,1,0,1,0,1) barely.
  const x = {
    rows: 6,
    width: 2,
    data: Float32Array.from([1, 0, 2, 1, 3, 0, 4, 1, 5, 0, 6, 1]),
  };
  const grad = Float64Array.from([-0.5, -0.5, -0.5, 0.5, 0.5, 0.5]);
  const hess = new Float64Array(6).fill(0.25);
  const rules = { lambda: 1, minChildWeight: 0, minSplitGain: 0 };

  it("builds the histogram and finds the split and leaf values computed by hand", () => {
    const m = binMatrix(x, 255);
    expect(Array.from(m.bounds[0]!)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5]);
    expect(Array.from(m.bounds[1]!)).toEqual([0.5]);
    const hist = new Float64Array(histogramLength(m));
    const rows = Uint32Array.from([0, 1, 2, 3, 4, 5]);
    const sums = buildHistogram(hist, m, rows, 0, 6, grad, hess);
    expect(sums).toEqual({ g: 0, h: 1.5 });
    // Column 0: one row per bin; column 1: bin 0 holds rows 0, 2, 4 (g −0.5, h 0.75).
    expect(Array.from(hist.subarray(0, 12))).toEqual([
      -0.5, 0.25, -0.5, 0.25, -0.5, 0.25, 0.5, 0.25, 0.5, 0.25, 0.5, 0.25,
    ]);
    expect(Array.from(hist.subarray(12, 16))).toEqual([-0.5, 0.75, 0.5, 0.75]);
    // Column 0 at 3 | 4: G_L = −1.5, H_L = 0.75, G_R = 1.5, H_R = 0.75, λ = 1:
    // gain = ½ (2.25/1.75 + 2.25/1.75 − 0/2.5) = 2.25/1.75 = 1.2857…
    // Column 1's best: G_L = −0.5, G_R = 0.5, H 0.75 each: ½ (0.25/1.75 · 2) = 0.142857…
    const split = bestSplit(hist, m, Int32Array.from([0, 1]), sums.g, sums.h, rules)!;
    expect(split.feature).toBe(0);
    expect(split.bin).toBe(2);
    expect(split.gain).toBeCloseTo(2.25 / 1.75, 12);
    expect(bestSplit(hist, m, Int32Array.from([1]), sums.g, sums.h, rules)!.gain).toBeCloseTo(
      0.25 / 1.75,
      12,
    );
    // min child weight 0.8 > 0.75 leaves no legal split at all.
    expect(
      bestSplit(hist, m, Int32Array.from([0, 1]), sums.g, sums.h, { ...rules, minChildWeight: 0.8 }),
    ).toBe(undefined);
    // Leaf values −G/(H + λ): left 1.5/1.75, right −1.5/1.75.
    expect(leafWeight(-1.5, 0.75, 1)).toBeCloseTo(0.857142857, 9);

    const tree = growTree(
      m,
      rows,
      6,
      grad,
      hess,
      Int32Array.from([0, 1]),
      { ...rules, maxDepth: 3, maxLeaves: 2, learningRate: 1 },
      createWorkspace(m),
    );
    expect(Array.from(tree.feature)).toEqual([0, -1, -1]);
    expect(tree.threshold[0]).toBe(3.5);
    expect(tree.value[1]).toBe(Math.fround(1.5 / 1.75));
    expect(tree.value[2]).toBe(Math.fround(-1.5 / 1.75));
  });

  it("gets a child's histogram as parent minus sibling, equal to building it", () => {
    const random = createRandom(3);
    const rows = 500;
    const width = 6;
    const data = Float32Array.from({ length: rows * width }, (_, i) =>
      i % width < 3 ? (random.next() < 0.3 ? 1 : 0) : Math.fround(random.normal()),
    );
    const m = binMatrix({ rows, width, data }, 32);
    const g = Float64Array.from({ length: rows }, () => random.normal());
    const h = Float64Array.from({ length: rows }, () => random.next());
    const all = Uint32Array.from({ length: rows }, (_, i) => i);
    const parent = new Float64Array(histogramLength(m));
    const left = new Float64Array(histogramLength(m));
    const right = new Float64Array(histogramLength(m));
    buildHistogram(parent, m, all, 0, rows, g, h);
    buildHistogram(left, m, all, 0, 200, g, h);
    buildHistogram(right, m, all, 200, rows, g, h);
    subtractHistogram(parent, left);
    for (let i = 0; i < parent.length; i++) expect(parent[i]).toBeCloseTo(right[i]!, 9);
  });
});

/** Two uniform columns and a noise column; the label is their sign XOR, flipped for 5% of rows (a perfect model scores AUC 0.95). */
function xorSet(rows: number): TrainingSet {
  const random = createRandom(9);
  const a = new Float64Array(rows);
  const b = new Float64Array(rows);
  const noise = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    a[i] = random.next() * 2 - 1;
    b[i] = random.next() * 2 - 1;
    noise[i] = random.normal();
    const xor = a[i]! > 0 !== b[i]! > 0;
    labels[i] = (random.next() < 0.05 ? !xor : xor) ? 1 : 0;
  }
  return {
    table: {
      length: rows,
      numeric: new Map([
        ["a", a],
        ["b", b],
        ["noise", noise],
      ]),
      categorical: new Map(),
    },
    labels,
    info: { source: "test:xor", dataHash: "0".repeat(64), target: "xor", positiveValue: 1 },
  };
}

describe("gbdt training", () => {
  it("learns an XOR a logistic model cannot", async () => {
    const set = xorSet(3000);
    const trees = await trainModel(set, { kind: "gbdt", seed: 1, split: "stratified", gbdt: quick });
    const logistic = await trainModel(set, { kind: "logistic", seed: 1, split: "stratified", epochs: 10 });
    expect(trees.evaluation.rocAuc).toBeGreaterThan(0.9);
    expect(logistic.evaluation.rocAuc).toBeLessThan(0.6);
    await expect(
      trainModel(set, { kind: "gbdt", seed: 1, split: "stratified", classWeight: "balanced" }),
    ).rejects.toThrow(/class-weight/);
  }, 60_000);

  it("is deterministic: same seed, same trees and ONNX bytes; another seed differs", async () => {
    const set = smallSet("propensity");
    const options = { kind: "gbdt", split: "stratified", gbdt: quick } as const;
    const a = await trainModel(set, { ...options, seed: 7 });
    const b = await trainModel(set, { ...options, seed: 7 });
    const c = await trainModel(set, { ...options, seed: 8 });
    expect(Array.from(b.testProbabilities)).toEqual(Array.from(a.testProbabilities));
    const bytes = (m: TrainedModel) => Buffer.from(exportTreeOnnx(treesOf(m).ensemble));
    expect(bytes(b).equals(bytes(a))).toBe(true);
    expect(bytes(c).equals(bytes(a))).toBe(false);
    expect(b.fit.history.map((h) => h.valLoss)).toEqual(a.fit.history.map((h) => h.valLoss));
  }, 60_000);

  it("exports ONNX that onnxruntime scores like the TypeScript trees (every row, max |diff| < 1e-5)", async () => {
    const set = smallSet("propensity");
    const m = await trainModel(set, { kind: "gbdt", seed: 3, split: "stratified", gbdt: quick });
    const ensemble = treesOf(m).ensemble;
    expect(ensemble.trees.length).toBeGreaterThan(5);
    const all = Uint32Array.from({ length: set.labels.length }, (_, i) => i);
    const x = encodeTable(m.inputs, set.table, all);
    expect(x.rows).toBeGreaterThanOrEqual(1000);
    const ours = predictTreeProbabilities(ensemble, x);
    const scorer = await createOnnxScorer(exportTreeOnnx(ensemble));
    const onnx = await scorer.score(x.data, x.rows, x.width);
    await scorer.release();
    let max = 0;
    for (let i = 0; i < x.rows; i++) max = Math.max(max, Math.abs(onnx[i]! - ours[i]!));
    expect(max).toBeLessThan(1e-5);
    expect(scorer.inputName).toBe("input");
    expect(scorer.outputName).toBe("probability");
  }, 60_000);

  it("exports an ensemble without trees as its base score, and walks ties to the left", async () => {
    const empty = { width: 2, base: Math.fround(-1.5), trees: [], importance: new Float64Array(2) };
    const stump = {
      feature: Int32Array.of(1, -1, -1),
      threshold: Float32Array.of(0.5, 0, 0),
      bin: new Uint8Array(3),
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      value: Float32Array.of(0, -1, 1),
      gain: new Float64Array(3),
    };
    const x = { rows: 3, width: 2, data: Float32Array.of(9, 0.5, 9, 0.50001, 9, -3) };
    for (const e of [empty, { ...empty, trees: [stump] }]) {
      const scorer = await createOnnxScorer(exportTreeOnnx(e));
      const onnx = await scorer.score(x.data, x.rows, x.width);
      await scorer.release();
      const ours = predictTreeProbabilities(e, x);
      for (let i = 0; i < 3; i++) expect(onnx[i]).toBeCloseTo(ours[i]!, 6);
    }
    // x = 0.5 equals the threshold: left (−1); 0.50001 goes right (+1).
    const p = predictTreeProbabilities({ ...empty, trees: [stump] }, x);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(2.5)), 6);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(0.5)), 6);
  });

  it("writes a gbdt version the service's loader validates and scores", async () => {
    const { run, served } = await trainWriteAndServe(modelsDir, {
      kind: "gbdt",
      seed: 5,
      split: "stratified",
      gbdt: quick,
    });
    expect(run.metadata.kind).toBe("gbdt");
    expect(run.parityMaxAbsDiff).toBeLessThan(1e-5);
    expect(served.kind).toBe("gbdt");
    expect(served.predictions).toHaveLength(3);
    for (const v of served.predictions) expect(v > 0 && v < 1).toBe(true);
  }, 60_000);
});
