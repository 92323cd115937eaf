/**
 * Targets that read the logged features: another model version (rescored with real ONNX models from
 * the registry folder), and a draft policy's own eligibility rules.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import {
  evaluate,
  type LoadedLog,
  loadDecisions,
  loadTarget,
  parseOpeArgs,
  rescoreLog,
  resolveTarget,
} from "../../src/ope/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import { loadModelVersion } from "../../src/scoring/load-model.js";
import { minimalPolicy } from "../policy/policy-fixtures.js";
import { fixtureMetadata, logisticOnnx, writeModelVersion } from "../support/onnx-fixtures.js";
import { exportRow } from "./ope-fixtures.js";

/** A logged feature vector of the current plan with `age` set (everything else 0). */
const features = (age: number) => FEATURE_PLAN.names.map((name) => (name === "age" ? age : 0));

/** A logged decision between the card (multiplier 120) and the loan (400 × loans weight 2 = 800). */
function decision(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return exportRow({
    decisionId: id,
    candidateProbabilities: { card_cashback: 0.5, loan_personal: 0.5 },
    // Logged priors: card 0.1 × 120 = 12, loan 0.05 × 800 = 40: the loan ranks first.
    priors: { card_cashback: 0.1, loan_personal: 0.05 },
    policyVersion: policy.version,
    modelVersions: { propensity: "old" },
    features: features(40),
    featurePlan: FEATURE_PLAN.version,
    ...extra,
  });
}

const policy = loadPolicy(
  minimalPolicy({
    actions: [
      {
        id: "card_cashback",
        businessUnit: "cards",
        name: "Cashback card",
        value: 120,
        placements: [{ journey: "cross_sell" }],
        // Not for customers likely to leave.
        eligibility: { "<": [{ var: ["scores.churn", 0] }, 0.5] },
      },
      {
        id: "loan_personal",
        businessUnit: "loans",
        name: "Personal loan",
        value: 400,
        channels: ["web", "app"],
        placements: [{ journey: "cross_sell", steps: ["product_page"] }, { journey: "servicing" }],
        eligibility: { ">=": [{ var: "features.age" }, 18] },
      },
    ],
  }),
);

const dir = mkdtempSync(join(tmpdir(), "ope-models-"));
/** The propensity model reads the action's value (scaled by 100); churn only has a bias. */
const byValue = (weight: number, bias: number) =>
  writeModelVersion(dir, "propensity", {
    onnxBytes: logisticOnnx({ weights: [weight], bias }),
    metadata: fixtureMetadata("propensity", 1, {
      inputs: [{ type: "numeric", name: "actionValue", mean: 0, scale: 100, fill: 0 }],
    }),
  }).version;
const churnModel = (bias: number) =>
  writeModelVersion(dir, "churn", {
    onnxBytes: logisticOnnx({ weights: [0], bias }),
    metadata: fixtureMetadata("churn", 1, {
      inputs: [{ type: "numeric", name: "age", mean: 0, scale: 1, fill: 0 }],
    }),
  }).version;

let favoursLoan: string;
let favoursCard: string;
let likelyChurn: string;
let log: LoadedLog;
const logFile = join(dir, "decisions.jsonl");
const policyFile = join(dir, "policy.json");

beforeAll(() => {
  // σ(v/100 − 4): card 0.057 × 120 = 6.8, loan 0.5 × 800 = 400.
  favoursLoan = byValue(1, -4);
  // σ(−2 v/100): card 0.083 × 120 = 10, loan 0.0003 × 800 = 0.27.
  favoursCard = byValue(-2, 0);
  likelyChurn = churnModel(3); // σ(3) = 0.95
  const rows = [
    decision("d1"),
    decision("d2"),
    decision("old-plan", { featurePlan: "0ld" }),
    decision("no-features", { features: undefined, featurePlan: undefined }),
    decision("d5"),
  ];
  log = loadDecisions(rows);
  writeFileSync(logFile, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  writeFileSync(policyFile, JSON.stringify(minimalPolicy(policy.document as never)));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a model-version target", () => {
  it("rescores the logged features: a new propensity model changes the ranking", async () => {
    const first = (version: string) =>
      loadModelVersion(dir, "propensity", version).then((m) =>
        rescoreLog(log.rows, { propensity: m }, policy),
      );
    const loan = resolveTarget(
      log.rows,
      { kind: "model", scores: await first(favoursLoan), policy, greedy: true },
      1,
    );
    const card = resolveTarget(
      log.rows,
      { kind: "model", scores: await first(favoursCard), policy, greedy: true },
      1,
    );
    for (const i of [0, 1, 4]) {
      expect(Array.from(loan.probabilities[i]!)).toEqual([0, 1]);
      expect(Array.from(card.probabilities[i]!)).toEqual([1, 0]);
    }
    expect(card.description).toMatch(new RegExp(`^model propensity ${favoursCard} under policy test_policy`));
    expect(card.notes.join("\n")).toMatch(/the new propensities replace the logged priors/);
    expect(card.notes.join("\n")).toMatch(/only the model changes/);
  });

  it("reports and skips rows without features or with another feature plan", async () => {
    const m = await loadModelVersion(dir, "propensity", favoursCard);
    const scores = await rescoreLog(log.rows, { propensity: m }, policy);
    expect(scores.skipped).toEqual([
      {
        line: 3,
        reason: `features logged under feature plan 0ld, the current plan is ${FEATURE_PLAN.version}`,
      },
      { line: 4, reason: "no logged features (the decision predates feature logging)" },
    ]);
    const report = evaluate(log, { kind: "model", scores, policy, greedy: true }, { bootstrap: 0 });
    expect(report.log.evaluated).toBe(3);
    expect(report.log.unevaluated.map((u) => u.line)).toEqual([3, 4]);
    expect(report.log.unevaluated[0]!.reason).toMatch(
      /^cannot score it with the target model: features logged/,
    );
    expect(report.warnings.join("\n")).toMatch(/2 of 5 rows cannot be scored with the target model/);
    // Every evaluated row: the card, logged with probability 0.5, reward 1 for the card only.
    expect(report.estimates.find((e) => e.estimator === "ips")!.estimate).toBeCloseTo(2, 12);
  });

  it("feeds a new churn score to the rules: the card is not eligible for a likely churner", async () => {
    const scores = await rescoreLog(
      log.rows,
      {
        propensity: await loadModelVersion(dir, "propensity", favoursCard),
        churn: await loadModelVersion(dir, "churn", likelyChurn),
      },
      policy,
    );
    expect(scores.rows.size).toBe(3);
    const resolved = resolveTarget(log.rows, { kind: "model", scores, policy, greedy: true }, 1);
    expect(Array.from(resolved.probabilities[0]!)).toEqual([0, 1]);
    expect(resolved.notes.join("\n")).toMatch(
      /policy's eligibility rules exclude logged candidates \(card_cashback\)/,
    );
  });

  it("gives a draft policy's rules the churn score each decision logged", () => {
    const churner = loadDecisions([
      decision("c1", { churn: 0.9 }),
      decision("c2", { churn: 0.1 }),
      decision("c3"),
    ]);
    const resolved = resolveTarget(churner.rows, { kind: "policy", policy, greedy: true }, 1);
    // Likely churner: the card's rule (churn < 0.5) excludes it, so the loan goes first.
    expect(Array.from(resolved.probabilities[0]!)).toEqual([0, 1]);
    // Logged churn 0.1, and no churn logged (the rule's default 0): the card stays, priors rank the loan.
    expect(Array.from(resolved.probabilities[1]!)).toEqual(Array.from(resolved.probabilities[2]!));
    expect(resolved.notes.join("\n")).toMatch(/the churn score \(not logged on 1 rows\)/);
  });

  it("is what npm run ope -- --model builds, reading the model registry and the log", async () => {
    const parsed = parseOpeArgs([
      "--log",
      logFile,
      "--policy",
      policyFile,
      "--greedy",
      "--model",
      `propensity=${favoursCard}`,
      "--models-dir",
      dir,
    ]);
    if (parsed.kind !== "run") throw new Error(JSON.stringify(parsed));
    const target = await loadTarget(parsed.args.target);
    const resolved = resolveTarget(log.rows, target, 1);
    expect(Array.from(resolved.probabilities[0]!)).toEqual([1, 0]);
    expect(resolved.probabilities[2]).toBeUndefined();
    const missing = parseOpeArgs([
      "--log",
      logFile,
      "--policy",
      policyFile,
      "--model",
      "propensity=nope",
      "--models-dir",
      dir,
    ]);
    if (missing.kind !== "run") throw new Error("expected a run");
    await expect(loadTarget(missing.args.target, log)).rejects.toThrow(
      /^model propensity\/nope in .*No model version/,
    );
  });
});

describe("a draft policy's eligibility rules", () => {
  it("run over the logged features and exclude an ineligible candidate", () => {
    const drafts = loadDecisions([
      decision("adult"),
      decision("minor", { features: features(16) }),
      decision("unlogged", { features: undefined, featurePlan: undefined }),
    ]);
    const resolved = resolveTarget(drafts.rows, { kind: "policy", policy, greedy: true }, 1);
    expect(Array.from(resolved.probabilities[0]!)).toEqual([0, 1]);
    // Age 16: the loan is not eligible under the draft, so the card goes first.
    expect(Array.from(resolved.probabilities[1]!)).toEqual([1, 0]);
    // No features logged: the logged eligibility stands.
    expect(Array.from(resolved.probabilities[2]!)).toEqual([0, 1]);
    const notes = resolved.notes.join("\n");
    expect(notes).toMatch(/eligibility rules are re-run on the 2 of 3 rows with logged features/);
    expect(notes).toMatch(/on 1 rows the logged eligibility stands instead: 1 × no logged features/);
    expect(notes).toMatch(
      /in 1 of 3 rows the policy's eligibility rules exclude logged candidates \(loan_personal\)/,
    );
    expect(notes).toMatch(
      /rules reading the churn score \(not logged on \d+ rows\), the profile .*actions\[0\]\.eligibility/,
    );
  });

  it("keeps the logged contact-policy exclusions but not the logged eligibility ones", () => {
    const narrow = (id: string, stage: string) =>
      decision(id, {
        candidateProbabilities: { card_cashback: 1 },
        priors: { card_cashback: 0.1 },
        excluded: [{ actionId: "loan_personal", stage }],
      });
    const contact = resolveTarget(
      loadDecisions([narrow("c", "contact_policy")]).rows,
      { kind: "policy", policy },
      1,
    );
    expect(contact.warnings).toEqual([]);
    const eligibility = resolveTarget(
      loadDecisions([narrow("e", "eligibility")]).rows,
      { kind: "policy", policy },
      1,
    );
    // The draft finds the loan eligible at age 40, but the log never offered it: no support.
    expect(eligibility.warnings[0]).toMatch(/never logged candidates there \(loan_personal\)/);
  });
});
