/**
 * Per-value interactions (one GLM per action): which columns are copied, the expanded rows, and the
 * ONNX graph that builds the same columns from the plain input, scoring like the trainer for a
 * logistic model and for a blend of trees with that logistic model.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { loadModelVersion } from "../../src/scoring/load-model.js";
import type { ModelInput } from "../../src/scoring/model-metadata.js";
import { exportModel } from "../../src/training/onnx/export-model.js";
import { createOnnxScorer } from "../../src/training/onnx/onnx-scorer.js";
import { predictLearned } from "../../src/training/pipeline/learned-model.js";
import { runTraining } from "../../src/training/pipeline/run-training.js";
import {
  defaultLearningRate,
  INTERACTIONS_STEP_FACTOR,
  type TrainedModel,
  type TrainOptions,
  trainModel,
} from "../../src/training/pipeline/train-model.js";
import { encodeTable, type Matrix } from "../../src/training/prep/encode-table.js";
import { expandedWidth, planInteractions, withInteractions } from "../../src/training/prep/interactions.js";
import { smallSet } from "./fixtures.js";

// Columns: x (numeric) | action a, b, unseen | price (numeric, constant per action) | channel web, app, unseen
const inputs: ModelInput[] = [
  { type: "numeric", name: "x", mean: 0, scale: 1, fill: 0 },
  { type: "categorical", name: "action", vocabulary: ["a", "b"] },
  { type: "numeric", name: "price", mean: 0, scale: 1, fill: 0 },
  { type: "categorical", name: "channel", vocabulary: ["web", "app"] },
];
const rows = (values: number[][]): Matrix => ({
  data: Float32Array.from(values.flat()),
  rows: values.length,
  width: values[0]!.length,
});
//                x    a  b  ?  price  web app ?
const train = rows([
  [0.5, 1, 0, 0, 10, 1, 0, 0],
  [1.5, 1, 0, 0, 10, 0, 1, 0],
  [-1, 0, 1, 0, 20, 1, 0, 0],
  [2, 0, 1, 0, 20, 1, 0, 0],
  [7, 0, 0, 1, 30, 0, 1, 0], // unseen action (a cold-start masked row): says nothing about variation
]);

describe("planInteractions / withInteractions", () => {
  it("copies the columns that vary within a value of `by`, never the unseen buckets", () => {
    const plan = planInteractions(inputs, "action", train);
    // x varies within a and b; price is constant per action; web varies within a, app within a;
    // the unseen columns of both categoricals are never copied.
    expect(plan).toEqual({ by: "action", byStart: 1, byValues: 2, copied: [0, 5, 6], width: 8 });
    expect(expandedWidth(plan)).toBe(8 + 2 * 3);
  });

  it("appends value-by-value copies: the row's own value gets its columns, the others zeros", () => {
    const plan = planInteractions(inputs, "action", train);
    const x = withInteractions(train, plan);
    const row = (r: number) => Array.from(x.data.subarray(r * x.width, (r + 1) * x.width));
    expect(row(0)).toEqual([0.5, 1, 0, 0, 10, 1, 0, 0, 0.5, 1, 0, 0, 0, 0]);
    expect(row(2)).toEqual([-1, 0, 1, 0, 20, 1, 0, 0, 0, 0, 0, -1, 1, 0]);
    expect(row(4)).toEqual([7, 0, 0, 1, 30, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("refuses a `by` within whose values nothing varies", () => {
    const constant = rows([
      [1, 1, 0, 0, 10, 1, 0, 0],
      [1, 1, 0, 0, 10, 1, 0, 0],
      [2, 0, 1, 0, 20, 0, 1, 0],
    ]);
    expect(() => planInteractions(inputs, "action", constant)).toThrow(
      "--interactions action: no column varies within a value of action in the training rows",
    );
  });

  it("names the categorical inputs when `by` is not one of them", () => {
    expect(() => planInteractions(inputs, "x", train)).toThrow(
      "--interactions x: no categorical input of that name (categorical inputs: action, channel)",
    );
  });
});

async function parity(m: TrainedModel, x: Matrix): Promise<number> {
  const scorer = await createOnnxScorer(exportModel(m.model));
  const onnx = await scorer.score(x.data, x.rows, x.width);
  await scorer.release();
  const ours = predictLearned(m.model, x);
  let max = 0;
  for (let i = 0; i < x.rows; i++) max = Math.max(max, Math.abs(onnx[i]! - ours[i]!));
  return max;
}

describe("models with per-action interactions", () => {
  const set = smallSet("propensity");
  const quick = { seed: 3, split: "stratified", epochs: 4, interactions: "actionId" } as const;

  it("logistic: the graph builds the columns from the plain input and scores like tfjs", async () => {
    const m = await trainModel(set, { ...quick, kind: "logistic" });
    if (m.model.type !== "network") throw new Error("expected a network");
    const plan = m.model.interactions!;
    expect(plan.by).toBe("actionId");
    expect(plan.copied.length).toBeGreaterThan(5);
    expect(m.model.layers[0]!.inputs).toBe(expandedWidth(plan));
    // A tenth of the logistic default step: most interaction columns are zero in most rows.
    expect(m.options.learningRate).toBeCloseTo(
      defaultLearningRate("logistic", m.options.batchSize!) * INTERACTIONS_STEP_FACTOR,
      12,
    );
    const all = Uint32Array.from({ length: set.labels.length }, (_, i) => i);
    const x = encodeTable(m.inputs, set.table, all);
    expect(plan.width).toBe(x.width); // served with the plain inputs
    expect(x.rows).toBeGreaterThanOrEqual(1000);
    const ops = onnxProto.onnx.ModelProto.decode(exportModel(m.model)).graph!.node!.map((n) => n.opType);
    expect(ops).toEqual([
      "Gather",
      "Gather",
      "Unsqueeze",
      "Unsqueeze",
      "Mul",
      "Reshape",
      "Concat",
      "Gemm",
      "Sigmoid",
    ]);
    expect(await parity(m, x)).toBeLessThan(1e-5);
  }, 60_000);

  it("blend with a logistic network part: trees on the plain columns, one graph, scores like the trainer", async () => {
    const options: TrainOptions = {
      ...quick,
      kind: "blend",
      blendNetwork: "logistic",
      gbdt: { trees: 40, patience: 20 },
    };
    const m = await trainModel(set, options);
    if (m.model.type !== "blend") throw new Error("expected a blend");
    expect(m.model.trees.ensemble.width).toBe(m.model.network.interactions!.width);
    expect(m.model.network.layers).toHaveLength(1); // logistic: one sigmoid unit
    expect(m.options.blendNetwork).toBe("logistic");
    const all = Uint32Array.from({ length: set.labels.length }, (_, i) => i);
    const x = encodeTable(m.inputs, set.table, all);
    expect(await parity(m, x)).toBeLessThan(1e-5);
  }, 60_000);

  it("writes a version the service's loader validates and scores from plain feature rows; the report says what it reads", async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), "nba-interactions-"));
    try {
      const run = await runTraining(set, {
        name: "propensity",
        modelsDir,
        command: "npm run train:propensity -- --model blend --blend-network logistic --interactions actionId",
        train: { ...quick, kind: "blend", blendNetwork: "logistic", gbdt: { trees: 40, patience: 20 } },
        compare: false,
        now: new Date("2026-01-01T00:00:00Z"),
      });
      expect(run.parityMaxAbsDiff).toBeLessThan(1e-5);
      const training = run.metrics.training as { interactions: { by: string; columns: number } };
      expect(training.interactions.by).toBe("actionId");
      expect(training.interactions.columns).toBeGreaterThan(0);
      const report = readFileSync(join(run.dir!, "report.html"), "utf8");
      expect(report).toContain(`${training.interactions.columns} per-actionId interaction columns`);
      expect(report).toContain("a logistic network");
      const model = await loadModelVersion(modelsDir, "propensity", run.metadata.version);
      try {
        expect(model.metadata.inputWidth).toBe(run.trained.test.width); // the plain inputs
        const base = { actionValue: 120, channel: "app", logins_30d: 9, card_product_views_7d: 3 };
        const p = await model.predict([
          { ...base, actionId: "card_cashback", businessUnit: "cards" },
          { ...base, actionId: "loan_personal", businessUnit: "loans" },
          { ...base, actionId: "a_new_action", businessUnit: "cards" },
        ]);
        for (const v of p) expect(v > 0 && v < 1).toBe(true);
        expect(p[0]).not.toBe(p[1]);
      } finally {
        await model.release();
      }
    } finally {
      rmSync(modelsDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("refuses interactions for gbdt and a blend network for other kinds", async () => {
    await expect(trainModel(set, { ...quick, kind: "gbdt" })).rejects.toThrow(/interactions is for logistic/);
    await expect(
      trainModel(set, { seed: 1, split: "stratified", kind: "mlp", blendNetwork: "logistic" }),
    ).rejects.toThrow(/--blend-network is for --model blend/);
  });
});
