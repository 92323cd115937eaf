import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSimulation } from "../../src/simulation/print-simulation.js";
import { runScript } from "../support/run-script.js";

let dir: string;
let sample: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nba-simulate-"));
  sample = await readFile("data/policies/bank-policy.yaml", "utf8");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const simulate = (...args: string[]) => runScript("scripts/simulate.ts", ...args);

async function draftFile(text: string): Promise<string> {
  const file = join(dir, `draft-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return file;
}

describe("npm run simulate", () => {
  it("lists an invalid draft's problems one per line, as the hot reload logs them, and exits 2", async () => {
    const file = await draftFile(
      sample
        .replace("lever: 0.9", "lever: high")
        .replace("- { max: 1, days: 14 }", "- { max: -1, days: 14 }"),
    );
    const run = await simulate("--policy", file);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toEqual([
      `policy file ${file} is invalid (2 problems):`,
      '  - actions[3].lever: expected a number, got "high"',
      "  - businessUnits.mortgages.caps[0].max: must be 0 or more",
    ]);
  });

  it("names the flag to change when a flag is wrong", async () => {
    const file = await draftFile(sample);
    const customers = await simulate("--policy", file, "--customers", "abc");
    expect(customers.code).toBe(2);
    expect(customers.stderr.trim()).toBe("--customers: must be a whole number of customers from 1 to 10,000");
    const placements = await simulate("--policy", file, "--placements", "cross_sell/browse");
    expect(placements.code).toBe(2);
    expect(placements.stderr.trim()).toBe(
      '--placements: "cross_sell/browse" must be journey/step/channel, e.g. cross_sell/browse/web',
    );
    const unknown = await simulate(
      "--policy",
      file,
      "--customers",
      "5",
      "--placements",
      "cross_sel/browse/web",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "simulation request is invalid (1 problem):\n  - placements[0].journey:",
    );
  });
});

describe("the printed report", () => {
  it("does not call top_k removals (ranked, then passed over) removals before ranking", () => {
    const outcome = (topK: number) => ({
      policyVersion: "aaaaaaaaaaaa",
      decisions: 10,
      servedShare: 1,
      byAction: { card_cashback: 1 },
      byBusinessUnit: { cards: 1 },
      byChannel: { web: 1 },
      removed: { top_k: { card_travel: topK } },
      expectedValuePerDecision: 1,
    });
    const text = formatSimulation({
      decisions: 20,
      seconds: 0.1,
      draft: outcome(0.5),
      current: outcome(0.2),
      difference: { byAction: { card_cashback: 0 }, expectedValuePerDecision: 0 },
    });
    expect(text).not.toContain("before ranking");
    expect(text).toContain("Removed, by the stage that removed it (share of decisions)");
    expect(text).toMatch(/top_k: card_travel\s+20\.0%\s+50\.0%/);
  });
});
