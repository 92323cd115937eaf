import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runModelsCli } from "../../training/models-cli.js";
import { fixtureMetadata, writeLogistic, writeModelVersion } from "../support/onnx-fixtures.js";
import { runScript } from "../support/run-script.js";

const dir = mkdtempSync(join(tmpdir(), "models-cli-"));
let a: string;
let b: string;
let corrupt: string;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runModelsCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, {});
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(() => {
  a = writeLogistic(dir, "churn", { weights: [1, 2], bias: 0 }, "2025-01-01T00:00:00.000Z").version;
  b = writeLogistic(dir, "churn", { weights: [2, 1], bias: 0 }, "2025-02-01T00:00:00.000Z").version;
  corrupt = writeModelVersion(dir, "churn", {
    metadata: fixtureMetadata("churn", 2),
    onnxBytes: new Uint8Array([7, 7, 7]),
  }).version;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run models", () => {
  it("promotes (by a unique version prefix), lists with the promoted marker, and rolls back", async () => {
    expect(await cli("promote", "churn", a, "--dir", dir, "--by", "ann")).toEqual({
      code: 0,
      out: `promoted churn to ${a}; running services swap it in from registry.json`,
      err: "",
    });
    const second = await cli("promote", "churn", b.slice(0, 8), "--dir", dir);
    expect(second.out).toBe(
      `promoted churn to ${b} (was ${a}); running services swap it in from registry.json`,
    );
    const list = await cli("list", "--dir", dir);
    expect(list.code).toBe(0);
    const lines = list.out.split("\n");
    expect(lines[0]).toMatch(/^ +NAME +VERSION +KIND +CREATED +ROC_AUC +BRIER +STATUS$/);
    expect(lines[1]).toMatch(
      new RegExp(`^\\* +churn +${b} +logistic +2025-02-01 00:00:00 +0\\.7500 +0\\.1800 +promoted$`),
    );
    expect(lines[2]).toMatch(new RegExp(`^ +churn +${a} .* ok$`));
    expect(lines[3]).toMatch(
      new RegExp(`^ +churn +${corrupt} .*invalid: .*model.onnx: is not a loadable ONNX model`),
    );
    expect((await cli("rollback", "churn", "--dir", dir)).out).toMatch(
      `rolled back churn to ${a} (was ${b})`,
    );
    const registry = JSON.parse(readFileSync(join(dir, "registry.json"), "utf8"));
    expect(registry.models.churn.promoted).toBe(a);
    expect(registry.models.churn.history[0].by).toBe("ann");
  });

  it("exits 1 with one line when a promotion or rollback is refused", async () => {
    const refused = await cli("promote", "churn", corrupt, "--dir", dir);
    expect(refused.code).toBe(1);
    expect(refused.err.split("\n")).toHaveLength(1);
    expect(refused.err).toMatch(
      /^models: Model churn\/[0-9a-f]+ refused: .*model.onnx: is not a loadable ONNX model/,
    );
    const unknown = await cli("promote", "fraud", a, "--dir", dir);
    expect(unknown).toMatchObject({ code: 1, err: `models: No model named "fraud" in ${dir}` });
    // A short prefix is allowed, so one that matches nothing is "no such version", not a malformed one.
    expect(await cli("promote", "fraud", a.slice(0, 8), "--dir", dir)).toMatchObject({
      code: 1,
      err: `models: No model named "fraud" in ${dir}`,
    });
    expect(await cli("validate", "churn", "ffff", "--dir", dir)).toMatchObject({
      code: 1,
      err: `models: No version of churn starts with "ffff" in ${dir}; npm run models -- list shows the versions`,
    });
    const empty = mkdtempSync(join(tmpdir(), "models-cli-empty-"));
    writeLogistic(empty, "churn", { weights: [1], bias: 0 });
    expect((await cli("rollback", "churn", "--dir", empty)).code).toBe(1);
    rmSync(empty, { recursive: true, force: true });
  });

  it("lists an empty folder as empty, and a folder that does not exist as an error (exit 1)", async () => {
    const empty = mkdtempSync(join(tmpdir(), "models-cli-none-"));
    expect(await cli("list", "--dir", empty)).toMatchObject({ code: 0, out: `no models in ${empty}` });
    const missing = join(empty, "typo");
    expect(await cli("list", "--dir", missing)).toMatchObject({
      code: 1,
      err: `models: ${missing} does not exist (set --dir or MODELS_DIR to the models folder)`,
    });
    rmSync(empty, { recursive: true, force: true });
  });

  it("exits 2 with the usage on bad arguments", async () => {
    for (const argv of [[], ["frob"], ["promote", "churn"], ["list", "--nope"]]) {
      const run = await cli(...argv);
      expect(run.code).toBe(2);
      expect(run.err).toContain("Usage: npm run models");
      expect(run.err.split("\n")[0]).toMatch(/^models: /);
    }
  });

  it("runs as the npm script: --help exits 0, a refusal exits 1", async () => {
    const run = (...args: string[]) => runScript("training/models-cli.ts", ...args);
    const [help, refused] = await Promise.all([
      run("--help"),
      run("validate", "churn", corrupt, "--dir", dir),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run models -- <command>/);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^models: Model churn/);
  }, 30_000);
});
