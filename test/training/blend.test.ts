/**
 * The blend (gradient-boosted trees + an MLP, logits averaged): the weight is chosen on the
 * validation rows from the candidates, the trainer's probability is sigmoid(w·treeMargin +
 * (1 − w)·mlpLogit) of its two parts, the one ONNX graph scores like the trainer, the same seed
 * gives the same bytes, and the service's loader validates and scores a written blend.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictMargins } from "../../src/training/gbdt/predict.js";
import { exportModel } from "../../src/training/onnx/export-model.js";
import { createOnnxScorer } from "../../src/training/onnx/onnx-scorer.js";
import {
  BLEND_TREE_WEIGHTS,
  type BlendModel,
  blendProbabilities,
  chooseTreeWeight,
} from "../../src/training/pipeline/blend-model.js";
import { predictLearned } from "../../src/training/pipeline/learned-model.js";
import { type TrainedModel, type TrainOptions, trainModel } from "../../src/training/pipeline/train-model.js";
import { encodeTable, type Matrix } from "../../src/training/prep/encode-table.js";
import type { DenseLayer } from "../../src/training/tf/build-network.js";
import { predictLogits, predictProbabilities } from "../../src/training/tf/predict.js";
import { smallSet, trainWriteAndServe } from "./fixtures.js";

const modelsDir = mkdtempSync(join(tmpdir(), "nba-blend-"));
afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

const quick: TrainOptions = {
  kind: "blend",
  seed: 3,
  split: "stratified",
  epochs: 4,
  hidden: [16, 8],
  gbdt: { trees: 60, patience: 20 },
};

function blendOf(m: TrainedModel): BlendModel {
  if (m.model.type !== "blend") throw new Error(`expected a blend, got ${m.model.type}`);
  return m.model;
}

/** The MLP's logit by hand, in float64, from the exported layers (independent of tfjs). */
function logitsByHand(layers: readonly DenseLayer[], x: Matrix): Float64Array {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let h: number[] = Array.from(x.data.subarray(r * x.width, (r + 1) * x.width));
    layers.forEach((l, li) => {
      const next: number[] = [];
      for (let j = 0; j < l.units; j++) {
        let z = l.bias[j]!;
        for (let i = 0; i < l.inputs; i++) z += h[i]! * l.kernel[i * l.units + j]!;
        next.push(li < layers.length - 1 ? Math.max(0, z) : z);
      }
      h = next;
    });
    out[r] = h[0]!;
  }
  return out;
}

describe("blend: gbdt + mlp in one graph", () => {
  let trained: TrainedModel;
  let x: Matrix;
  beforeAll(async () => {
    const set = smallSet("propensity");
    trained = await trainModel(set, quick);
    const all = Uint32Array.from({ length: set.labels.length }, (_, i) => i);
    x = encodeTable(trained.inputs, set.table, all);
  }, 60_000);

  it("chooses the trees' weight from the candidates by validation log loss", () => {
    const m = blendOf(trained);
    expect(BLEND_TREE_WEIGHTS).toContain(m.treeWeight);
    expect(m.validation.map((v) => v.treeWeight)).toEqual([...BLEND_TREE_WEIGHTS]);
    const best = Math.min(...m.validation.map((v) => v.logLoss));
    expect(m.validation.find((v) => v.treeWeight === m.treeWeight)!.logLoss).toBe(best);
    // By hand: a margin that separates the labels and a logit that is noise want the most tree
    // weight; the other way round, the least.
    const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 2);
    const good = Float64Array.from(labels, (y) => (y ? 2 : -2));
    const noise = Float64Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 2 : -2));
    expect(chooseTreeWeight(good, noise, labels).treeWeight).toBe(0.7);
    expect(chooseTreeWeight(noise, good, labels).treeWeight).toBe(0.3);
  });

  it("scores sigmoid(w·treeMargin + (1 − w)·mlpLogit) of its two parts", () => {
    const m = blendOf(trained);
    const margins = predictMargins(m.trees.ensemble, x);
    const logits = logitsByHand(m.network.layers, x);
    // The hand-computed logit is the tfjs network's: sigmoid(logit) is its probability.
    const tfjs = predictProbabilities(m.network.network, x);
    const ours = predictLearned(m, x);
    const w = m.treeWeight;
    let maxNet = 0;
    let maxBlend = 0;
    for (let i = 0; i < x.rows; i++) {
      maxNet = Math.max(maxNet, Math.abs(1 / (1 + Math.exp(-logits[i]!)) - tfjs[i]!));
      const p = 1 / (1 + Math.exp(-(w * margins[i]! + (1 - w) * logits[i]!)));
      maxBlend = Math.max(maxBlend, Math.abs(p - ours[i]!));
    }
    expect(maxNet).toBeLessThan(1e-5);
    expect(maxBlend).toBeLessThan(1e-5);
    // Exactly what the trainer computes from the tfjs logit (predictLogits).
    expect(Array.from(blendProbabilities(margins, predictLogits(m.network.network, x), w))).toEqual(
      Array.from(ours),
    );
    // Not one of its parts: the blend differs from the trees alone and from the MLP alone.
    const treesOnly = blendProbabilities(margins, logits, 1);
    expect(treesOnly.some((p, i) => Math.abs(p - ours[i]!) > 1e-3)).toBe(true);
    expect(tfjs.some((p, i) => Math.abs(p - ours[i]!) > 1e-3)).toBe(true);
  });

  it("exports one graph (trees, Gemm chain, Mul/Add, one Sigmoid) that onnxruntime scores like the trainer", async () => {
    const m = blendOf(trained);
    const bytes = exportModel(m);
    const proto = onnxProto.onnx.ModelProto.decode(bytes);
    expect(proto.graph!.node!.map((n) => n.opType)).toEqual([
      "TreeEnsembleRegressor",
      "Gemm",
      "Relu",
      "Gemm",
      "Relu",
      "Gemm",
      "Mul",
      "Mul",
      "Add",
      "Sigmoid",
    ]);
    expect(proto.opsetImport!.map((o) => `${o.domain}:${o.version}`)).toEqual([":13", "ai.onnx.ml:3"]);
    expect(proto.graph!.input!.map((i) => i.name)).toEqual(["input"]);
    expect(proto.graph!.output!.map((o) => o.name)).toEqual(["probability"]);
    expect(x.rows).toBeGreaterThanOrEqual(1000);
    const scorer = await createOnnxScorer(bytes);
    const onnx = await scorer.score(x.data, x.rows, x.width);
    await scorer.release();
    const ours = predictLearned(m, x);
    let max = 0;
    for (let i = 0; i < x.rows; i++) max = Math.max(max, Math.abs(onnx[i]! - ours[i]!));
    expect(max).toBeLessThan(1e-5);
  });

  it("is deterministic: same seed, same ONNX bytes; another seed differs", async () => {
    const set = smallSet("propensity");
    const again = await trainModel(set, quick);
    const other = await trainModel(set, { ...quick, seed: 4 });
    const bytes = (t: TrainedModel) => Buffer.from(exportModel(t.model));
    expect(bytes(again).equals(bytes(trained))).toBe(true);
    expect(bytes(other).equals(bytes(trained))).toBe(false);
    expect(blendOf(again).treeWeight).toBe(blendOf(trained).treeWeight);
  }, 60_000);

  it("refuses class weights (its trees train unweighted)", async () => {
    await expect(trainModel(smallSet("churn", 600), { ...quick, classWeight: "balanced" })).rejects.toThrow(
      /class-weight/,
    );
  });

  it("writes a blend version the service's loader validates and scores", async () => {
    const { run, served } = await trainWriteAndServe(modelsDir, { ...quick, seed: 5 });
    expect(run.metadata.kind).toBe("blend");
    expect(run.parityMaxAbsDiff).toBeLessThan(1e-5);
    expect((run.metrics.training as { blend: { treeWeight: number } }).blend.treeWeight).toBe(
      blendOf(run.trained).treeWeight,
    );
    expect(served.kind).toBe("blend");
    expect(served.predictions).toHaveLength(3);
    for (const v of served.predictions) expect(v > 0 && v < 1).toBe(true);
  }, 60_000);
});
