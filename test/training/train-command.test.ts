/**
 * The training command end to end as a user meets it: exit codes and the one line on stderr for a
 * mistake (never a stack trace). stderr is captured, the command itself runs for real.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { trainCommand } from "../../src/training/cli/train-command.js";

const dir = mkdtempSync(join(tmpdir(), "nba-train-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let stderr = "";
beforeEach(() => {
  stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

/** A registry with the repository's promoted churn model (copied; models/ is never written). */
function registryWithPromotedChurn(): string {
  const modelsDir = join(dir, "models");
  const version = "fbd571354f851e06";
  cpSync(join("models", "churn", version), join(modelsDir, "churn", version), { recursive: true });
  writeFileSync(
    join(modelsDir, "registry.json"),
    JSON.stringify({
      schemaVersion: 1,
      models: {
        churn: {
          promoted: version,
          history: [
            {
              action: "promote",
              version,
              previous: null,
              promotedAt: "2026-01-01T00:00:00.000Z",
              by: "test",
            },
          ],
        },
      },
    }),
  );
  return modelsDir;
}

describe("train command", () => {
  it("refuses --promote --no-compare before training when a model is promoted under the name", async () => {
    const modelsDir = registryWithPromotedChurn();
    const code = await trainCommand("churn", [
      "--promote",
      "--no-compare",
      "--models-dir",
      modelsDir,
      "--quiet",
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^train:churn: --promote needs a check against the promoted model, but no same-rows comparison with the promoted churn fbd571354f851e06 was made \(--no-compare\)/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses an --out folder holding other data before training, and leaves it as it was", async () => {
    const modelsDir = registryWithPromotedChurn();
    const code = await trainCommand("churn", ["--out", modelsDir, "--models-dir", modelsDir, "--quiet"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^train:churn: --out .*models already holds other files \(churn, registry\.json\) and is not a model version folder/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(modelsDir).sort()).toEqual(["churn", "registry.json"]);
  });

  it("answers a bad fill, layer size or column set with one line naming it, never a stack trace", async () => {
    const csv = join(dir, "t.csv");
    writeFileSync(csv, ["a,b,y", "1,x,yes", "2,y,no", ",x,no", "4,y,yes", "5,x,no"].join("\n"));
    const config = join(dir, "t.json");
    writeFileSync(
      config,
      JSON.stringify({ csv: "t.csv", target: "y", positive: "yes", fill: { a: "none" } }),
    );
    const out = ["--out", join(dir, "out"), "--models-dir", join(dir, "none"), "--quiet"];

    expect(await trainCommand("churn", ["--config", config, ...out])).toBe(1);
    expect(stderr).toBe(
      'train:churn: fill for column "a" is "none", but a is numeric: give a number (--fill or "fill" in the config)\n',
    );
    stderr = "";
    expect(
      await trainCommand("churn", [
        "--csv",
        csv,
        "--target",
        "y",
        "--positive",
        "yes",
        "--drop",
        "a,b",
        ...out,
      ]),
    ).toBe(1);
    expect(stderr).toMatch(/^train:churn: no input column is left: .*\n$/);
    stderr = "";
    expect(await trainCommand("churn", ["--model", "mlp", "--hidden", "0", ...out])).toBe(2);
    expect(stderr).toMatch(/^train:churn: --hidden layer sizes must be at least 1, got 0\n/);
  });
});
