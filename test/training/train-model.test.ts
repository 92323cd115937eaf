/**
 * Training end to end on small generated data: the same seed gives the same model, ONNX scores
 * like tfjs (both kinds, all rows), and a new action still gets a sensible propensity.
 */
import { describe, expect, it } from "vitest";
import { contentVersion } from "../../src/training/artifact/build-metadata.js";
import { exportOnnx } from "../../src/training/onnx/export-onnx.js";
import { createOnnxScorer } from "../../src/training/onnx/onnx-scorer.js";
import type { NetworkModel } from "../../src/training/pipeline/network-model.js";
import { mergeEnsemble, type TrainedModel, trainModel } from "../../src/training/pipeline/train-model.js";
import { encodeTable } from "../../src/training/prep/encode-table.js";
import { sklearnStratifiedSplit } from "../../src/training/sklearn-split.js";
import type { Table } from "../../src/training/table.js";
import type { DenseLayer } from "../../src/training/tf/build-network.js";
import { predictProbabilities } from "../../src/training/tf/predict.js";
import { smallSet } from "./fixtures.js";

const quick = { epochs: 4, patience: 2 } as const;

/** The tfjs network of a logistic or MLP model. */
function networkOf(m: TrainedModel): NetworkModel {
  if (m.model.type !== "network") throw new Error(`expected a network, got ${m.model.type}`);
  return m.model;
}

describe("trainModel", () => {
  it("is deterministic: same seed, same weights and metrics; another seed differs", async () => {
    const set = smallSet("propensity");
    const a = await trainModel(set, { kind: "mlp", seed: 7, split: "time", ...quick });
    const b = await trainModel(set, { kind: "mlp", seed: 7, split: "time", ...quick });
    const c = await trainModel(set, { kind: "mlp", seed: 8, split: "time", ...quick });
    expect(b.fit.history.map((h) => h.valLoss)).toEqual(a.fit.history.map((h) => h.valLoss));
    expect(b.evaluation.rocAuc).toBe(a.evaluation.rocAuc);
    expect(b.evaluation.logLoss).toBe(a.evaluation.logLoss);
    expect(Array.from(b.testProbabilities)).toEqual(Array.from(a.testProbabilities));
    expect(
      Buffer.from(exportOnnx(networkOf(b).layers)).equals(Buffer.from(exportOnnx(networkOf(a).layers))),
    ).toBe(true);
    expect(c.evaluation.logLoss).not.toBe(a.evaluation.logLoss);
  }, 60_000);

  it("splits by time when asked: every test row is later than every training row", async () => {
    const set = smallSet("propensity");
    const m = await trainModel(set, { kind: "logistic", seed: 1, split: "time", ...quick });
    const latestTrain = Math.max(...Array.from(m.split.train, (r) => set.times![r]!));
    const earliestTest = Math.min(...Array.from(m.split.test, (r) => set.times![r]!));
    expect(earliestTest).toBeGreaterThan(latestTrain);
    expect(m.truthEvaluation?.rows).toBe(m.split.test.length);
  });

  it("tests on scikit-learn's rows when asked (--split sklearn)", async () => {
    const set = smallSet("propensity");
    const m = await trainModel(set, { kind: "logistic", seed: 5, split: "sklearn", ...quick });
    expect(Array.from(m.split.test)).toEqual(Array.from(sklearnStratifiedSplit(set.labels, 0.2, 5).test));
    expect(m.options.split).toBe("sklearn");
    expect(m.rows.test).toBe(Math.ceil(0.2 * set.labels.length));
  });

  for (const kind of ["logistic", "mlp"] as const) {
    it(`exports ONNX that scores like tfjs (${kind}, every row, max |diff| < 1e-5)`, async () => {
      const set = smallSet("propensity");
      const m = await trainModel(set, { kind, seed: 3, split: "stratified", ...quick });
      const all = Uint32Array.from({ length: set.labels.length }, (_, i) => i);
      const x = encodeTable(m.inputs, set.table, all);
      expect(x.rows).toBeGreaterThanOrEqual(1000);
      const tfjs = predictProbabilities(networkOf(m).network, x);
      const scorer = await createOnnxScorer(exportOnnx(networkOf(m).layers));
      const onnx = await scorer.score(x.data, x.rows, x.width);
      await scorer.release();
      let max = 0;
      for (let i = 0; i < x.rows; i++) max = Math.max(max, Math.abs(onnx[i]! - tfjs[i]!));
      expect(max).toBeLessThan(1e-5);
      expect(scorer.inputName).toBe("input");
      expect(scorer.outputName).toBe("probability");
    });
  }

  it("merges an ensemble into one network whose logit is the members' mean logit", () => {
    const layer = (inputs: number, units: number, shift: number, activation: DenseLayer["activation"]) => ({
      kernel: Float32Array.from({ length: inputs * units }, (_, i) => Math.sin(i + shift)),
      bias: Float32Array.from({ length: units }, (_, i) => Math.cos(i + shift)),
      inputs,
      units,
      activation,
    });
    const member = (shift: number): DenseLayer[] => [
      layer(3, 4, shift, "relu"),
      layer(4, 2, shift + 1, "relu"),
      layer(2, 1, shift + 2, "sigmoid"),
    ];
    const logit = (layers: readonly DenseLayer[], x: readonly number[]): number => {
      let h = x;
      for (const l of layers) {
        const out = Array.from({ length: l.units }, (_, j) =>
          h.reduce((s, v, i) => s + v * l.kernel[i * l.units + j]!, l.bias[j]!),
        );
        h = l.activation === "relu" ? out.map((v) => Math.max(0, v)) : out;
      }
      return h[0]!;
    };
    const members = [member(0), member(5), member(9)];
    const merged = mergeEnsemble(members);
    expect(merged.hidden).toEqual([12, 6]);
    for (const x of [
      [0.5, -1, 2],
      [1, 1, 1],
      [-2, 0.3, 0],
    ]) {
      const mean = members.reduce((s, m) => s + logit(m, x), 0) / members.length;
      expect(logit(merged.layers, x)).toBeCloseTo(mean, 4);
    }
  });

  it("exports an MLP ensemble as one ONNX graph that scores like tfjs", async () => {
    const set = smallSet("propensity");
    const m = await trainModel(set, {
      kind: "mlp",
      seed: 3,
      split: "stratified",
      ensemble: 2,
      hidden: [16, 8],
      epochs: 2,
      patience: 1,
    });
    expect(networkOf(m).layers.map((l) => l.units)).toEqual([32, 16, 1]);
    const x = m.test;
    const scorer = await createOnnxScorer(exportOnnx(networkOf(m).layers));
    const onnx = await scorer.score(x.data, x.rows, x.width);
    await scorer.release();
    let max = 0;
    for (let i = 0; i < x.rows; i++) max = Math.max(max, Math.abs(onnx[i]! - m.testProbabilities[i]!));
    expect(max).toBeLessThan(1e-5);
  }, 120_000);

  it("gives a new action (unseen actionId) a propensity near its business unit's", async () => {
    const set = smallSet("propensity");
    const m = await trainModel(set, { kind: "mlp", seed: 4, split: "stratified", epochs: 8, patience: 3 });
    const rows = Array.from(m.split.test);
    const renamed = (table: Table, unit: string): Table => {
      const ids = table.categorical.get("actionId")!.map(() => "brand_new_offer");
      const units = table.categorical.get("businessUnit")!.map(() => unit);
      return {
        ...table,
        categorical: new Map([...table.categorical, ["actionId", ids], ["businessUnit", units]]),
      };
    };
    const meanScore = (table: Table) => {
      const p = predictProbabilities(networkOf(m).network, encodeTable(m.inputs, table, rows));
      return p.reduce((s, v) => s + v, 0) / p.length;
    };
    const base = meanScore(set.table);
    for (const unit of ["cards", "retention"]) {
      const cold = meanScore(renamed(set.table, unit));
      expect(Number.isFinite(cold)).toBe(true);
      expect(cold).toBeGreaterThan(base / 4);
      expect(cold).toBeLessThan(base * 4);
    }
    expect(meanScore(renamed(set.table, "cards"))).not.toBeCloseTo(
      meanScore(renamed(set.table, "retention")),
      4,
    );
  });

  it("names a version by content: same ONNX and metadata, same version", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const meta = { name: "x", training: { createdAt: "2026-01-01T00:00:00.000Z", command: "c" } } as never;
    const later = { name: "x", training: { createdAt: "2026-02-01T00:00:00.000Z", command: "c" } } as never;
    expect(contentVersion(bytes, meta)).toMatch(/^[0-9a-f]{16}$/);
    expect(contentVersion(bytes, later)).toBe(contentVersion(bytes, meta));
    expect(contentVersion(new Uint8Array([1, 2, 4]), meta)).not.toBe(contentVersion(bytes, meta));
  });
});
