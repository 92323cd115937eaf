/**
 * The written version folder is what the serving side accepts: metadata valid under
 * modelMetadataSchema, the folder named by its version, and the registry's full validation (ONNX
 * load, shapes, probe batch) passing; a second run compares itself with the promoted one.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { modelMetadataSchema } from "../../src/scoring/model-metadata.js";
import { ModelRegistry } from "../../src/scoring/model-registry.js";
import { buildMetadata, MetadataContractError } from "../../src/training/artifact/build-metadata.js";
import { promoteRun } from "../../src/training/artifact/promote.js";
import { formatSummary } from "../../src/training/cli/summary.js";
import { runTraining } from "../../src/training/pipeline/run-training.js";
import { smallSet } from "./fixtures.js";

const modelsDir = mkdtempSync(join(tmpdir(), "nba-models-"));
afterAll(() => rmSync(modelsDir, { recursive: true, force: true }));

const options = {
  name: "churn",
  modelsDir,
  command: "npm run train:churn -- --test",
  train: { kind: "logistic", seed: 5, split: "stratified", epochs: 4, patience: 2 },
  now: new Date("2026-01-01T00:00:00Z"),
} as const;

describe("model artifacts", () => {
  it("writes a version folder the registry validates and promotes", async () => {
    const run = await runTraining(smallSet("churn", 2000), options);
    expect(run.dir).toBe(join(modelsDir, "churn", run.metadata.version));
    const meta = modelMetadataSchema.parse(JSON.parse(readFileSync(join(run.dir!, "metadata.json"), "utf8")));
    expect(meta.version).toBe(basename(run.dir!));
    expect(meta).toMatchObject({
      name: "churn",
      kind: "logistic",
      onnx: { inputName: "input", outputName: "probability" },
    });
    expect(meta.training).toMatchObject({
      seed: 5,
      command: options.command,
      target: "churnedInLabelWindow",
    });
    expect(meta.training.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.metrics.rocAuc).toBeGreaterThan(0);
    expect(meta.metrics.truthRocAuc).toBeGreaterThan(0.6);
    for (const f of ["model.onnx", "metrics.json", "report.html"])
      expect(existsSync(join(run.dir!, f))).toBe(true);
    expect(statSync(join(run.dir!, "report.html")).size).toBeLessThan(1_000_000);
    expect(readFileSync(join(run.dir!, "report.html"), "utf8")).toContain("<svg");
    expect(run.parityMaxAbsDiff).toBeLessThan(1e-5);

    const registry = new ModelRegistry(modelsDir);
    await expect(registry.validate("churn", meta.version)).resolves.toMatchObject({ version: meta.version });
    const outcome = await promoteRun(run, modelsDir);
    expect(outcome.promoted).toBe(true);
    expect(await registry.promoted("churn")).toBe(meta.version);

    // The same data, seed and command give the same version, and the comparison is like for like.
    const again = await runTraining(smallSet("churn", 2000), {
      ...options,
      now: new Date("2026-02-01T00:00:00Z"),
    });
    expect(again.metadata.version).toBe(meta.version);
    expect(again.promoted?.version).toBe(meta.version);
    expect(again.promoted?.evaluation?.rocAuc).toBeCloseTo(again.trained.evaluation.rocAuc, 6);
    expect(again.promoted?.note).toMatch(/like-for-like/);

    // --no-compare: nothing was scored on the same rows, so --promote must not replace the promoted model.
    const unchecked = await runTraining(smallSet("churn", 2000), {
      ...options,
      train: { ...options.train, seed: 6 },
      compare: false,
    });
    expect(unchecked.metadata.version).not.toBe(meta.version);
    const refused = await promoteRun(unchecked, modelsDir);
    expect(refused.promoted).toBe(false);
    expect(refused.message).toMatch(/no same-rows comparison with the promoted churn .*--no-compare/);
    expect(refused.message).toContain(`npm run models -- promote churn ${unchecked.metadata.version}`);
    expect(formatSummary(unchecked)).toMatch(
      /verdict: not compared with the promoted model \(--no-compare\)/,
    );
    expect(formatSummary(unchecked)).not.toMatch(/no promoted model/);

    // A promoted model that reads inputs this data lacks cannot be scored here: no promotion either.
    const { table, inputs: _engineered, ...rest } = smallSet("churn", 2000);
    const lacking = {
      ...rest,
      table: { ...table, numeric: new Map([...table.numeric].filter(([k]) => k !== "products_held")) },
    };
    const blind = await runTraining(lacking, { ...options, train: { ...options.train, seed: 7 } });
    expect(blind.promoted?.evaluation).toBeUndefined();
    const refusedBlind = await promoteRun(blind, modelsDir);
    expect(refusedBlind.promoted).toBe(false);
    expect(refusedBlind.message).toMatch(/could not be scored on these rows/);
    expect(await registry.promoted("churn")).toBe(meta.version);
  }, 90_000);

  it("refuses metadata that would break the serving contract", () => {
    const parts = {
      name: "Churn!",
      kind: "logistic",
      inputs: [{ type: "numeric", name: "x", mean: 0, scale: 1, fill: 0 }],
      metrics: { rocAuc: Number.NaN },
      command: "c",
      seed: 1,
      rows: 1,
      info: { source: "s", dataHash: "h", target: "t", positiveValue: true },
      createdAt: new Date(),
    } as const;
    expect(() => buildMetadata(parts, new Uint8Array(1))).toThrow(MetadataContractError);
    expect(() => buildMetadata(parts, new Uint8Array(1))).toThrow(/name/);
    expect(buildMetadata({ ...parts, name: "churn" }, new Uint8Array(1)).metrics).toEqual({});
  });
});
