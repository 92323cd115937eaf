import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InferenceSession } from "onnxruntime-node";
import { Registry } from "prom-client";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadModelVersion } from "../../src/scoring/load-model.js";
import { ScoringMetrics } from "../../src/scoring/scoring-metrics.js";
import {
  fixtureMetadata,
  logistic,
  logisticOnnx,
  writeLogistic,
  writeModelVersion,
} from "../support/onnx-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "onnx-model-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = { weights: [0.5, -1.25, 2], bias: -0.3 };
const rows = [
  [1, 2, 3],
  [0, 0, 0],
  [-2, 0.5, 1.5],
];
function expectClose(p: Float64Array, xs: number[][]): void {
  xs.forEach((x, i) => {
    expect(p[i]).toBeCloseTo(logistic(spec, x), 6);
  });
}
const asRow = (x: number[]) => Object.fromEntries(x.map((v, i) => [`x${i}`, v]));

describe("OnnxModel", () => {
  it("scores a batch in one run like the closed form, in row order", async () => {
    const { version } = writeLogistic(dir, "churn", spec);
    const model = await loadModelVersion(dir, "churn", version);
    const p = await model.predict(rows.map(asRow));
    expect(p).toBeInstanceOf(Float64Array);
    expectClose(p, rows);
    expect((await model.predict([])).length).toBe(0);
    await model.release();
    await expect(model.predict([asRow([1, 1, 1])])).rejects.toThrow(/released/);
  });

  it("scores the requests of one event-loop turn in one run, each getting its own rows back", async () => {
    const { version } = writeLogistic(dir, "turn", spec);
    const model = await loadModelVersion(dir, "turn", version);
    const requests = [rows, [rows[2]!], [], [rows[1]!, rows[0]!], rows.slice(1)];
    const alone: Float64Array[] = [];
    for (const r of requests) alone.push(await model.predict(r.map(asRow)));
    // Observed, not replaced: the real session runs.
    const runs = vi.spyOn((InferenceSession as unknown as { prototype: InferenceSession }).prototype, "run");
    try {
      const together = await Promise.all(requests.map((r) => model.predict(r.map(asRow))));
      expect(runs).toHaveBeenCalledTimes(1);
      together.forEach((p, i) => {
        expect(Array.from(p)).toEqual(Array.from(alone[i]!));
        expectClose(p, requests[i]!);
      });
      // Requests of different turns still run separately.
      runs.mockClear();
      await model.predict([asRow(rows[0]!)]);
      await model.predict([asRow(rows[1]!)]);
      expect(runs).toHaveBeenCalledTimes(2);
    } finally {
      runs.mockRestore();
      await model.release();
    }
  });

  it("applies the sigmoid to a logit output", async () => {
    const metadata = fixtureMetadata("logit", 3, { onnx: { outputKind: "logit" } });
    const { version } = writeModelVersion(dir, "logit", {
      onnxBytes: logisticOnnx({ ...spec, output: "logit" }),
      metadata,
    });
    const model = await loadModelVersion(dir, "logit", version);
    const p = await model.predict(rows.map(asRow));
    expectClose(p, rows);
    await model.release();
  });

  it("loads an externally built model: other input/output names, [N, 2] output, positive class in column 1", async () => {
    const metadata = fixtureMetadata("external", 3, {
      kind: "external",
      onnx: { inputName: "float_input", outputName: "probabilities", outputColumn: 1 },
      training: { createdAt: "2025-03-01T00:00:00Z", command: "python train.py", source: "scikit-learn 1.5" },
    });
    const { version } = writeModelVersion(dir, "external", {
      onnxBytes: logisticOnnx({
        ...spec,
        inputName: "float_input",
        outputName: "probabilities",
        output: "two-column",
      }),
      metadata,
    });
    const model = await loadModelVersion(dir, "external", version);
    const p = await model.predict(rows.map(asRow));
    expectClose(p, rows);
    await model.release();
  });

  it("loads the external model of docs/model-serving.md's worked example as documented", async () => {
    const doc = readFileSync(join(import.meta.dirname, "../../docs/model-serving.md"), "utf8");
    const block = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].find((m) => m[1]!.includes('"external"'));
    const metadata = JSON.parse(block![1]!);
    const weights = [0.4, -0.2, 0.3, -0.5, 0.1];
    writeModelVersion(dir, "churn", {
      onnxBytes: logisticOnnx({
        weights,
        bias: 0.2,
        inputName: "float_input",
        outputName: "probabilities",
        output: "two-column",
      }),
      metadata,
    });
    const model = await loadModelVersion(dir, "churn", metadata.version);
    const [p] = await model.predict([{ tenure_months: 42.7, balance: 1.5, segment: "premium" }]);
    const x = [(42.7 - 24.5) / 18.2, 1.5, 0, 1, 0];
    expect(p).toBeCloseTo(logistic({ weights, bias: 0.2 }, x), 6);
    await model.release();
  });

  it("counts missing inputs, rows and latency per model in the scoring metrics", async () => {
    const registry = new Registry();
    const metrics = new ScoringMetrics(registry);
    const { version } = writeLogistic(dir, "counted", spec);
    const model = await loadModelVersion(dir, "counted", version, { metrics });
    const p = await model.predict([{ x0: 1, x1: 2 }, { x0: 1, x1: null, x2: 3 }, {}]);
    expect(p[0]).toBeCloseTo(logistic(spec, [1, 2, 0]), 6); // x2 missing -> fill 0
    expect(p[2]).toBeCloseTo(logistic(spec, [0, 0, 0]), 6);
    const text = await registry.metrics();
    expect(text).toContain('nba_model_missing_inputs_total{model="counted",input="x0"} 1');
    expect(text).toContain('nba_model_missing_inputs_total{model="counted",input="x1"} 2');
    expect(text).toContain('nba_model_missing_inputs_total{model="counted",input="x2"} 2');
    expect(text).toContain('nba_model_rows_scored_total{model="counted"} 3');
    expect(text).toContain('nba_model_scoring_seconds_count{model="counted"} 1');
    await model.release();
  });

  it("scores concurrent batches on one session", async () => {
    const { version } = writeLogistic(dir, "parallel", spec);
    const model = await loadModelVersion(dir, "parallel", version);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, k) => model.predict([asRow([k / 10, 1, -1])])),
    );
    expectClose(
      Float64Array.from(results, (p) => p[0]!),
      results.map((_, k) => [k / 10, 1, -1]),
    );
    await model.release();
  });
});
