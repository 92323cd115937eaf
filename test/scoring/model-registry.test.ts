import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServiceUnavailableError } from "../../src/errors/http-errors.js";
import { ModelInvalidError } from "../../src/errors/model-invalid-error.js";
import { ModelNotFoundError } from "../../src/errors/model-not-found-error.js";
import { ModelRegistryError } from "../../src/errors/model-registry-error.js";
import { NoPreviousModelVersionError } from "../../src/errors/no-previous-model-version-error.js";
import { ModelRegistry } from "../../src/scoring/model-registry.js";
import { fixtureMetadata, logisticOnnx, writeLogistic, writeModelVersion } from "../support/onnx-fixtures.js";

let dir: string;
let registry: ModelRegistry;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "model-registry-"));
  registry = new ModelRegistry(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const v = (weights: number[], createdAt = "2025-01-01T00:00:00.000Z") =>
  writeLogistic(dir, "churn", { weights, bias: 0 }, createdAt).version;

async function refusal(promise: Promise<unknown>): Promise<ModelInvalidError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelInvalidError);
  return err as ModelInvalidError;
}

describe("ModelRegistry", () => {
  it("lists models and versions newest first, invalid ones last with the reason", async () => {
    const older = v([1, 2], "2025-01-01T00:00:00.000Z");
    const newer = v([2, 1], "2025-02-01T00:00:00.000Z");
    writeModelVersion(dir, "churn", {
      metadata: { ...fixtureMetadata("churn", 2), inputWidth: 3 },
      onnxBytes: logisticOnnx({ weights: [1, 2], bias: 0 }),
      version: "ffffffffffff",
    });
    writeFileSync(join(dir, "README.txt"), "not a model");
    await registry.promote("churn", older, "test");
    const [churn, ...rest] = await registry.list();
    expect(rest).toEqual([]);
    expect(churn!.name).toBe("churn");
    expect(churn!.promoted).toBe(older);
    expect(churn!.versions.map((x) => [x.version, x.valid, x.promoted])).toEqual([
      [newer, true, false],
      [older, true, true],
      ["ffffffffffff", false, false],
    ]);
    const invalid = churn!.versions[2]!;
    expect(!invalid.valid && invalid.problems[0]).toEqual({
      file: join(dir, "churn", "ffffffffffff", "metadata.json"),
      problem: "inputWidth is 3 but the inputs encode to 2 columns",
    });
  });

  it("promotes, rolls back through the history, and refuses a rollback with nothing before", async () => {
    const [a, b, c] = [v([1, 0]), v([0, 1]), v([1, 1])];
    expect(await registry.promoted("churn")).toBeUndefined();
    await expect(registry.rollback("churn")).rejects.toBeInstanceOf(NoPreviousModelVersionError);
    expect(await registry.promote("churn", a, "ann")).toMatchObject({
      version: a,
      previous: undefined,
      changed: true,
    });
    await registry.promote("churn", b, "ann");
    expect(await registry.promote("churn", b, "ann")).toMatchObject({ changed: false });
    await registry.promote("churn", c, "bob");
    expect(await registry.rollback("churn", "bob")).toMatchObject({
      action: "rollback",
      version: b,
      previous: c,
    });
    expect(await registry.rollback("churn", "bob")).toMatchObject({ version: a, previous: b });
    await expect(registry.rollback("churn")).rejects.toThrow(
      "Model churn has no previously promoted version to roll back to; promote a version instead",
    );
    expect(await registry.promoted("churn")).toBe(a);
    const state = (await registry.state()).models.churn!;
    expect(state.history.map((h) => [h.action, h.version, h.previous, h.by])).toEqual([
      ["promote", a, null, "ann"],
      ["promote", b, a, "ann"],
      ["promote", c, b, "bob"],
      ["rollback", b, c, "bob"],
      ["rollback", a, b, "bob"],
    ]);
    // Written atomically: no temp files are left beside registry.json.
    expect(readdirSync(dir).sort()).toEqual(["churn", "registry.json"]);
  });

  it("refuses unknown names and versions, and names that are not folder-safe", async () => {
    const a = v([1, 0]);
    await expect(registry.promote("fraud", a)).rejects.toThrow(`No model named "fraud" in ${dir}`);
    await expect(registry.promote("churn", "abcdefabcdef")).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(registry.promote("../churn", a)).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(registry.promote("churn", "../../etc")).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(registry.rollback("fraud")).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it("refuses a corrupt model.onnx, naming the file", async () => {
    const { version } = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 2),
      onnxBytes: new Uint8Array([8, 1, 18, 3, 1, 2, 3, 255, 255]),
    });
    const err = await refusal(registry.promote("churn", version));
    expect(err.statusCode).toBe(422);
    expect(err.problems).toEqual([
      {
        file: join(dir, "churn", version, "model.onnx"),
        problem: expect.stringMatching(/^is not a loadable ONNX model/),
      },
    ]);
    expect(await registry.promoted("churn")).toBeUndefined();
  });

  it("refuses metadata whose inputWidth does not match the model's input", async () => {
    const { version } = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 2),
      onnxBytes: logisticOnnx({ weights: [1, 2, 3], bias: 0 }),
    });
    const err = await refusal(registry.promote("churn", version));
    expect(err.message).toBe(
      `Model churn/${version} refused: ${join(dir, "churn", version, "model.onnx")}: input "features" has shape [N, 3] but metadata.json inputWidth is 2`,
    );
  });

  it("refuses a model whose output is not a probability in [0, 1]", async () => {
    const { version } = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 2),
      onnxBytes: logisticOnnx({ weights: [1, 2], bias: 3, output: "logit" }),
    });
    const err = await refusal(registry.validate("churn", version));
    expect(err.problems[0]!.problem).toMatch(
      /gave 3, .* not probabilities in \[0, 1\].*outputKind to "logit"/,
    );
  });

  it("refuses other signature mismatches with the fix in the message", async () => {
    const cases: [Parameters<typeof logisticOnnx>[0], Record<string, unknown>, RegExp][] = [
      [
        { weights: [1, 2], bias: 0, fixedBatch: 1 },
        {},
        /fixed batch size 1; the first dimension must be dynamic/,
      ],
      [
        { weights: [1, 2], bias: 0, inputName: "x" },
        {},
        /input is named "x" but metadata.json onnx.inputName is "features"/,
      ],
      [{ weights: [1, 2], bias: 0 }, { outputName: "p" }, /has no output "p" .*its outputs are probability/],
      [
        { weights: [1, 2], bias: 0 },
        { outputColumn: 1 },
        /has 1 columns but metadata.json onnx.outputColumn is 1/,
      ],
    ];
    for (const [spec, onnx, message] of cases) {
      const { version } = writeModelVersion(dir, "churn", {
        metadata: fixtureMetadata("churn", 2, { onnx }),
        onnxBytes: logisticOnnx(spec),
      });
      expect((await refusal(registry.validate("churn", version))).message).toMatch(message);
    }
  });

  it("refuses metadata that names another folder, and a missing model.onnx", async () => {
    const bytes = logisticOnnx({ weights: [1, 2], bias: 0 });
    const other = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("propensity", 2),
      onnxBytes: bytes,
    });
    expect((await refusal(registry.validate("churn", other.version))).message).toMatch(
      /metadata.json: name is "propensity" but it is in the folder of model "churn"/,
    );
    const missing = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 2),
      onnxBytes: bytes,
    });
    rmSync(join(missing.path, "model.onnx"));
    expect((await refusal(registry.validate("churn", missing.version))).problems).toEqual([
      { file: join(missing.path, "model.onnx"), problem: "is missing" },
    ]);
  });

  it("tells a file it cannot read (a disk or permission problem) from an invalid model", async () => {
    for (const file of ["metadata.json", "model.onnx"]) {
      const version = v(file === "model.onnx" ? [1, 3] : [1, 4]);
      const path = join(dir, "churn", version, file);
      rmSync(path);
      mkdirSync(path); // reading it fails with EISDIR, as with EACCES or EIO
      const err = await registry.open("churn", version).catch((e: unknown) => e);
      expect(err, file).toBeInstanceOf(ServiceUnavailableError);
      expect((err as Error).message).toContain(`${path}: cannot be read (EISDIR`);
      expect((err as Error).message).toContain("not a verdict on the model");
    }
  });

  it("fingerprints a version folder: changed by any file added, rewritten (same bytes too) or removed", async () => {
    const version = v([1, 5]);
    const folder = join(dir, "churn", version);
    const fingerprints = [await registry.fingerprint("churn", version)];
    writeFileSync(join(folder, "report.html"), "<p>");
    fingerprints.push(await registry.fingerprint("churn", version));
    writeFileSync(join(folder, "report.html"), "<p></p>");
    fingerprints.push(await registry.fingerprint("churn", version));
    writeFileSync(join(folder, "model.onnx"), readFileSync(join(folder, "model.onnx")));
    fingerprints.push(await registry.fingerprint("churn", version));
    rmSync(join(folder, "report.html"));
    fingerprints.push(await registry.fingerprint("churn", version));
    expect(new Set(fingerprints).size).toBe(5);
    expect(await registry.fingerprint("churn", version)).toBe(fingerprints[4]);
    expect(await registry.fingerprint("churn", "0123456789abcdef")).toBe("");
  });

  it("refuses to write over an invalid registry.json", async () => {
    const a = v([1, 0]);
    writeFileSync(
      join(dir, "registry.json"),
      '{"schemaVersion": 1, "models": {"churn": {"promoted": "xyz"}}}',
    );
    await expect(registry.promote("churn", a)).rejects.toBeInstanceOf(ModelRegistryError);
    await expect(registry.list()).rejects.toThrow(
      /registry.json: invalid \(models.churn.promoted must be a model version/,
    );
    expect(readFileSync(join(dir, "registry.json"), "utf8")).toContain('"xyz"');
  });

  it("lists a promoted version whose folder was deleted as invalid, and deep-validates on request", async () => {
    const a = v([1, 0]);
    await registry.promote("churn", a);
    const corrupt = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 2),
      onnxBytes: new Uint8Array([1, 2, 3]),
    });
    const shallow = (await registry.list())[0]!.versions.find((x) => x.version === corrupt.version)!;
    expect(shallow.valid).toBe(true);
    const deep = (await registry.list({ deep: true }))[0]!.versions.find(
      (x) => x.version === corrupt.version,
    )!;
    expect(deep.valid).toBe(false);
    rmSync(join(dir, "churn", a), { recursive: true });
    const gone = (await registry.list())[0]!.versions.find((x) => x.version === a)!;
    expect(gone).toMatchObject({ promoted: true, valid: false });
  });
});
