/** scripts/ope.ts: argument errors in-process through the parser, and four real runs of the script. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOpeArgs } from "../../src/ope/index.js";
import { runScript, type ScriptRun } from "../support/run-script.js";

type Run = ScriptRun;
const cli = (...args: string[]): Promise<Run> => runScript("scripts/ope.ts", ...args);

const dir = mkdtempSync(join(tmpdir(), "ope-cli-"));
const logFile = join(dir, "log.jsonl");
const targetFile = join(dir, "target.jsonl");
const htmlFile = join(dir, "report.html");
let run: Run;
let bad: Run;
let missing: Run;
let help: Run;

beforeAll(async () => {
  const lines: string[] = [];
  const targets: string[] = [];
  for (let i = 0; i < 60; i++) {
    const action = ["a", "b", "c"][i % 3]!;
    lines.push(
      JSON.stringify({ id: `d${i}`, action, propensity: 1 / 3, reward: (i * 7) % 5 === 0 ? 1 : 0, x: i % 4 }),
    );
    targets.push(JSON.stringify({ id: `d${i}`, probabilities: { a: 0.6, b: 0.3, c: 0.1 } }));
  }
  lines.splice(10, 0, '{"id":"broken","action":"a","reward":1}');
  writeFileSync(logFile, `${lines.join("\n")}\n`);
  writeFileSync(targetFile, `${targets.join("\n")}\n`);
  // Spawning tsx dominates the cost: four processes, started at once.
  [run, bad, missing, help] = await Promise.all([
    cli(
      "--log",
      logFile,
      "--target-probabilities",
      targetFile,
      "--bootstrap",
      "50",
      "--json",
      "--html",
      htmlFile,
    ),
    cli("--log", logFile, "--bandit", "greedy"),
    cli("--log", join(dir, "absent.jsonl"), "--bandit", "softmax"),
    cli("--help"),
  ]);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scripts/ope.ts", () => {
  it("evaluates, prints JSON, writes the HTML report and names the malformed row", () => {
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.log).toMatchObject({ read: 61, valid: 60, evaluated: 60 });
    expect(report.log.malformed).toEqual([{ line: 11, reason: "propensity: is required" }]);
    expect(report.estimates.map((e: { estimator: string }) => e.estimator)).toEqual([
      "ips",
      "snips",
      "dm",
      "dr",
    ]);
    expect(run.stderr).toContain("60 of 61 rows evaluated, 1 malformed rows skipped");
    expect(report.target.description).toBe(`target probabilities from ${targetFile}`);
    expect(readFileSync(htmlFile, "utf8")).toContain("reading: doubly robust puts the target");
    const html = readFileSync(htmlFile, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script/);
    expect(html).toContain("line 11: propensity: is required");
  });

  it("rejects a bad argument with one line, the usage and exit code 2", () => {
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n")[0]).toBe(
      'ope: --bandit "greedy" must be one of thompson, linucb, epsilon_greedy, softmax',
    );
    expect(bad.stderr).toContain("Usage: npm run ope");
    expect(bad.stdout).toBe("");
  });

  it("exits 1 with one line when the log cannot be read", () => {
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/^ope: cannot read log .*absent\.jsonl: ENOENT/);
  });

  it("prints the usage for --help", () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run ope -- --log FILE TARGET/);
  });
});

describe("parseOpeArgs", () => {
  const error = (...argv: string[]) => {
    const parsed = parseOpeArgs(argv);
    return parsed.kind === "error" ? parsed.message : `not an error: ${parsed.kind}`;
  };

  it("names what is wrong", () => {
    expect(error("--bandit", "softmax")).toBe("--log FILE is required");
    expect(error("--log", "l")).toBe(
      "give a target: --target-probabilities FILE, --bandit ALGORITHM, --policy FILE or --model NAME=VERSION",
    );
    expect(error("--log", "l", "--target-probabilities", "t", "--bandit", "softmax")).toBe(
      "--target-probabilities cannot be combined with --bandit, --policy or --model",
    );
    expect(error("--log", "l", "--model", "propensity=v1")).toMatch(/^--model needs --policy FILE/);
    expect(error("--log", "l", "--policy", "p", "--model", "uplift=v1")).toBe(
      '--model "uplift=v1" must be propensity=VERSION or churn=VERSION',
    );
    expect(error("--log", "l", "--policy", "p", "--model", "churn=")).toMatch(
      /^--model churn= needs a version/,
    );
    expect(error("--log", "l", "--policy", "p", "--model", "churn=a", "--model", "churn=b")).toBe(
      "--model churn is given twice",
    );
    expect(error("--log", "l", "--policy", "p", "--models-dir", "m")).toBe("--models-dir needs --model");
    expect(error("--log", "l", "--bandit", "softmax", "--epsilon", "0.1")).toBe(
      "--epsilon does not apply to --bandit softmax",
    );
    expect(error("--log", "l", "--bandit", "epsilon_greedy", "--epsilon", "2")).toBe(
      '--epsilon "2" must be in [0, 1]',
    );
    expect(error("--log", "l", "--target-probabilities", "t", "--temperature", "1")).toBe(
      "--temperature needs --bandit",
    );
    expect(error("--log", "l", "--target-probabilities", "t", "--learn")).toBe(
      "--learn needs --bandit or --policy",
    );
    expect(error("--log", "l", "--bandit", "softmax", "--greedy")).toBe(
      "--greedy goes with --policy (and without --bandit)",
    );
    expect(error("--log", "l", "--bandit", "softmax", "--clip", "0")).toBe('--clip "0" must be more than 0');
    expect(error("--log", "l", "--bandit", "softmax", "--bootstrap", "-1")).toMatch(
      /^Option '--bootstrap' argument is ambiguous\. [^\n]+$/,
    );
    expect(error("--log", "l", "--bandit", "softmax", "--bootstrap=-1")).toBe(
      '--bootstrap "-1" must be a whole number in 0..100000',
    );
    expect(error("--log", "l", "--bandit", "softmax", "--seed", "x")).toBe(
      '--seed "x" must be a whole number in 0..4294967295',
    );
    expect(error("--log", "l", "--format", "xml", "--bandit", "softmax")).toBe(
      '--format "xml" must be csv or jsonl',
    );
    expect(error("--log", "l", "--bandit", "softmax", "--nope")).toMatch(/Unknown option '--nope'/);
  });

  it("fills in the defaults", () => {
    const parsed = parseOpeArgs(["--log", "l", "--bandit", "thompson", "--clip", "20", "--seed", "3"]);
    expect(parsed).toEqual({
      kind: "run",
      args: {
        log: "l",
        target: {
          kind: "bandit",
          exploration: { algorithm: "thompson", posteriorScale: 0.5, draws: 1024 },
          learn: false,
        },
        options: { clip: 20, seed: 3, rewardModel: {} },
        json: false,
      },
    });
    const policy = parseOpeArgs(["--log", "l", "--policy", "p.yaml", "--greedy", "--snapshot", "s.json"]);
    expect(policy.kind === "run" && policy.args.target).toEqual({
      kind: "policy",
      policyFile: "p.yaml",
      greedy: true,
      snapshotFile: "s.json",
      learn: false,
    });
    const model = parseOpeArgs([
      "--log",
      "l",
      "--policy",
      "p.yaml",
      "--model",
      "propensity=v2",
      "--model",
      "churn=c1",
      "--models-dir",
      "reg",
      "--no-refit",
    ]);
    expect(model.kind === "run" && model.args.target).toEqual({
      kind: "model",
      models: { propensity: "v2", churn: "c1" },
      modelsDir: "reg",
      policyFile: "p.yaml",
      greedy: false,
      learn: false,
      log: "l",
    });
    expect(model.kind === "run" && model.args.options.refitRewardModel).toBe(false);
  });
});
