/** Targets: a probabilities file, a replayed bandit (cold or from a snapshot), a draft policy. */
import { describe, expect, it } from "vitest";
import { createBandit, decodeSnapshot, encodeSnapshot } from "../../src/bandit/index.js";
import {
  evaluate,
  type LoggedDecision,
  loadDecisions,
  parseTargetProbabilities,
  resolveTarget,
} from "../../src/ope/index.js";
import { loadPolicy } from "../../src/policy/index.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { minimalPolicy } from "../policy/policy-fixtures.js";
import { exportRow, loggedRow } from "./ope-fixtures.js";

describe("a target-probabilities file", () => {
  const rows = [
    loggedRow({ id: "d1", line: 1, action: 0, reward: 1 }),
    loggedRow({ id: "d2", line: 2, action: 1, reward: 0 }),
    loggedRow({ id: "d3", line: 3, action: 1, reward: 1 }),
    loggedRow({ id: "d4", line: 4, action: 0, reward: 0 }),
  ];

  it("matches rows by id or by line, normalises, drops mass outside the candidates and reports bad lines", () => {
    const probabilities = parseTargetProbabilities(
      [
        JSON.stringify({ decisionId: "d1", probabilities: { a: 1, b: 0 } }),
        JSON.stringify({ row: 2, probabilities: { a: 2, b: 2 } }),
        JSON.stringify({ id: "d3", probabilities: { a: 0.25, b: 0.25, z: 0.5 } }),
        "not json",
        JSON.stringify({ probabilities: { a: 1 } }),
        JSON.stringify({ decisionId: "d1", probabilities: { a: 1 } }),
        JSON.stringify({ row: 9, probabilities: { a: -1 } }),
      ].join("\n"),
    );
    expect(probabilities.malformed).toEqual([
      { line: 4, reason: expect.stringMatching(/^not valid JSON/) },
      { line: 5, reason: "needs decisionId, id or row" },
      { line: 6, reason: "a second entry for d1" },
      { line: 7, reason: "probabilities.a: must be 0 or more" },
    ]);
    const resolved = resolveTarget(rows, { kind: "probabilities", probabilities }, 1);
    expect(resolved.probabilities.map((p) => (p ? Array.from(p) : undefined))).toEqual([
      [1, 0],
      [0.5, 0.5],
      [0.5, 0.5],
      undefined,
    ]);
    expect(Array.from(resolved.outside)).toEqual([0, 0, 0.5, 0]);
    expect(resolved.unevaluated).toEqual([{ line: 4, reason: "no target probabilities for d4" }]);
    expect(resolved.warnings).toEqual([
      "4 malformed line(s) in the target probabilities were skipped",
      "1 target distribution(s) did not sum to 1 and were normalised",
    ]);

    const report = evaluate(rows, { kind: "probabilities", probabilities }, { bootstrap: 0 });
    expect(report.log.evaluated).toBe(3);
    expect(report.diagnostics.outsideRows).toBe(1);
    expect(report.warnings.join("\n")).toMatch(/not candidates of the logged decision/);
    expect(report.warnings.join("\n")).toMatch(/1 row\(s\) left out of the estimate \(first at line 4/);
  });
});

describe("support warnings", () => {
  it("flags target weight on actions the logging policy almost never chose", () => {
    const mu = new Float64Array([0.9995, 0.0005]);
    const rows = Array.from({ length: 50 }, (_, i) =>
      loggedRow({ action: i === 0 ? 1 : 0, reward: i % 2, loggingProbabilities: mu }),
    );
    const report = evaluate(
      rows,
      { kind: "function", name: "always b", distribution: () => [0, 1] },
      { bootstrap: 0 },
    );
    expect(report.diagnostics.lowPropensityRows).toBe(50);
    expect(report.diagnostics.lowPropensityMass).toBeCloseTo(1, 12);
    expect(report.diagnostics.maxWeight).toBeCloseTo(2000, 6);
    expect(report.warnings.some((w) => w.includes("chose with probability < 0.001"))).toBe(true);
    expect(report.warnings.some((w) => w.startsWith("effective sample size 1 of 50"))).toBe(true);
  });

  it("flags actions with no logging support at all", () => {
    const mu = new Float64Array([1, 0, 0]);
    const rows = Array.from({ length: 10 }, () =>
      loggedRow({ candidates: ["a", "b", "c"], action: 0, reward: 1, loggingProbabilities: mu }),
    );
    const report = evaluate(
      rows,
      { kind: "function", name: "half c", distribution: () => [0.5, 0, 0.5] },
      { bootstrap: 0 },
    );
    expect(report.diagnostics.zeroPropensityMass).toBeCloseTo(0.5, 12);
    expect(report.diagnostics.neverLoggedMass).toBeCloseTo(0.5, 12);
    expect(report.warnings.join("\n")).toMatch(/could not choose at all \(no support/);
  });
});

describe("a replayed bandit", () => {
  const priors = new Float64Array([0.1, 0.3, 0.2]);
  const row = (i: number): LoggedDecision =>
    loggedRow({
      id: `d${i}`,
      line: i + 1,
      x: new Float64Array([1, i % 2]),
      candidates: ["a", "b", "c"],
      action: i % 3,
      reward: i % 2,
      loggingProbabilities: new Float64Array([1 / 3, 1 / 3, 1 / 3]),
      priors,
    });
  const rows = Array.from({ length: 6 }, (_, i) => row(i));

  it("gives epsilon-greedy's exact P(first) over the logged priors when cold", () => {
    const resolved = resolveTarget(
      rows,
      { kind: "bandit", exploration: { algorithm: "epsilon_greedy", epsilon: 0.3 } },
      1,
    );
    for (const p of resolved.probabilities) {
      expect(p![0]).toBeCloseTo(0.1, 12);
      expect(p![1]).toBeCloseTo(0.8, 12);
      expect(p![2]).toBeCloseTo(0.1, 12);
    }
    expect(resolved.description).toBe(
      "epsilon_greedy (epsilon 0.3) replayed cold (every arm starts at its prior)",
    );
    expect(resolved.notes.join("\n")).toMatch(/rank by P\(accept\) alone/);
  });

  it("starts from a snapshot and matches the bandit module's own probabilities", () => {
    const config = {
      exploration: { algorithm: "softmax" as const, temperature: 0.5 },
      scorer: "ridge" as const,
      ridge: 1,
      contextDim: 2,
      contextSchema: "test-d2",
    };
    const learned = createBandit(config);
    const rng = createRandom(4);
    for (let i = 0; i < 200; i++)
      learned.learn([1, rng.next()], ["a", "b", "c"][i % 3]!, 0.2, rng.next() < 0.2 * (1 + (i % 3)) ? 1 : 0);
    const snapshot = decodeSnapshot(encodeSnapshot(learned.snapshot(), 1, 0).text).state;
    const resolved = resolveTarget(
      rows,
      { kind: "bandit", exploration: { algorithm: "softmax", temperature: 0.5 }, snapshot },
      1,
    );
    rows.forEach((r, i) => {
      const own = learned.choose(
        r.x,
        ["a", "b", "c"].map((a, k) => ({ actionId: a, prior: priors[k]!, multiplier: 1 })),
        rng,
      );
      expect(Array.from(resolved.probabilities[i]!)).toEqual(Array.from(own.probabilities));
    });
    expect(() =>
      resolveTarget(
        [loggedRow({ action: 0, reward: 1, x: new Float64Array(3) })],
        { kind: "bandit", exploration: { algorithm: "softmax", temperature: 0.5 }, snapshot },
        1,
      ),
    ).toThrow("the snapshot's context has 2 dimensions, the log's rows have 3");
  });

  it("learns from each logged outcome after scoring its row when asked", () => {
    const target = {
      kind: "bandit" as const,
      exploration: { algorithm: "softmax" as const, temperature: 1 },
    };
    const frozen = resolveTarget(rows, target, 1);
    const learning = resolveTarget(rows, { ...target, learn: true }, 1);
    // The first row is scored before any learning; later rows see what the earlier ones taught.
    expect(Array.from(learning.probabilities[0]!)).toEqual(Array.from(frozen.probabilities[0]!));
    expect(Array.from(learning.probabilities[5]!)).not.toEqual(Array.from(frozen.probabilities[5]!));
    expect(Array.from(frozen.probabilities[5]!)).toEqual(Array.from(frozen.probabilities[0]!));
    expect(learning.notes[0]).toMatch(/^the replayed bandit learns/);
  });
});

describe("a draft policy", () => {
  const policy = loadPolicy(
    minimalPolicy({
      businessUnits: { cards: 1, loans: { weight: 2 }, savings: 0.5 },
      contextWeights: [
        { when: { "==": [{ var: "context.channel" }, "web"] }, businessUnit: "cards", weight: 3 },
        { when: { ">=": [{ var: ["features.age", 0] }, 60] }, actionId: "loan_personal", weight: 0.5 },
      ],
      bandit: { algorithm: "softmax", softmax: { temperature: 1 } },
      actions: [
        ...(minimalPolicy().actions as object[]),
        {
          id: "savings_easy_access",
          businessUnit: "savings",
          name: "Savings",
          value: 60,
          placements: [{ journey: "servicing" }],
        },
      ],
    }),
  );
  const log = loadDecisions([
    exportRow({
      decisionId: "p1",
      candidateProbabilities: { card_cashback: 0.7, loan_personal: 0.2, savings_easy_access: 0.1 },
      priors: { card_cashback: 0.1, loan_personal: 0.05, savings_easy_access: 0.3 },
    }),
  ]);

  it("ranks the logged candidates by the draft's arbitration factors and drops what it does not place", () => {
    // card: 0.1 × 120 × 1 × 3 (web) = 36; loan: 0.05 × 400 × 2 = 40; savings: not placed at cross_sell.
    const greedy = resolveTarget(log.rows, { kind: "policy", policy, greedy: true }, 1);
    expect(Array.from(greedy.probabilities[0]!)).toEqual([0, 1, 0]);
    const soft = resolveTarget(log.rows, { kind: "policy", policy }, 1);
    expect(soft.probabilities[0]![0]).toBeCloseTo(36 / 76, 12);
    expect(soft.probabilities[0]![1]).toBeCloseTo(40 / 76, 12);
    expect(soft.description).toMatch(/^draft policy test_policy \(.+\) with softmax \(temperature 1\), cold/);
    expect(soft.notes.join("\n")).toMatch(/on 1 rows the logged eligibility stands instead/);
    expect(soft.notes.join("\n")).toMatch(/contextWeights\[1\]/);
    expect(soft.notes.join("\n")).toMatch(/in 1 of 1 rows the draft drops some logged candidates/);
  });

  it("with --bandit changes the exploration only: the arms keep the draft's logistic model", () => {
    const thompson = { algorithm: "thompson" as const, posteriorScale: 1, draws: 1024 };
    const logistic = loadPolicy(
      minimalPolicy({
        ...policy.document,
        bandit: { algorithm: "thompson", model: "logistic", thompson: { posteriorScale: 1, ridge: 2 } },
      }),
    );
    const own = resolveTarget(log.rows, { kind: "policy", policy: logistic }, 1);
    // What `--policy FILE --bandit thompson --posterior-scale 1` builds (load-target.ts).
    const overridden = resolveTarget(
      log.rows,
      { kind: "bandit", exploration: thompson, policy: logistic },
      1,
    );
    expect(Array.from(overridden.probabilities[0]!)).toEqual(Array.from(own.probabilities[0]!));
    // Linear arms at another ridge spread their draws otherwise: the comparison above is not vacuous.
    const linear = resolveTarget(
      log.rows,
      { kind: "bandit", exploration: thompson, policy: logistic, scorer: "ridge", ridge: 1 },
      1,
    );
    expect(Array.from(linear.probabilities[0]!)).not.toEqual(Array.from(own.probabilities[0]!));
  });

  it("needs the service's export, and warns about actions the log cannot value", () => {
    const generic = [loggedRow({ candidates: ["card_cashback"], action: 0, reward: 1 })];
    expect(() => resolveTarget(generic, { kind: "policy", policy }, 1)).toThrow(
      /needs the service's decision export/,
    );
    const narrow = loadDecisions([
      exportRow({ candidateProbabilities: { card_cashback: 1 }, priors: { card_cashback: 0.1 } }),
    ]);
    const resolved = resolveTarget(narrow.rows, { kind: "policy", policy }, 1);
    expect(resolved.warnings[0]).toMatch(
      /would also rank actions that were never logged candidates there \(loan_personal\)/,
    );
  });
});

describe("a target given as code", () => {
  it("leaves out a row whose distribution is not finite, saying why, instead of estimating NaN", () => {
    const rows = [loggedRow({ line: 1, action: 0, reward: 1 }), loggedRow({ line: 2, action: 1, reward: 0 })];
    const resolved = resolveTarget(
      rows,
      { kind: "function", name: "broken", distribution: (_r, i) => (i === 0 ? [Infinity, 1] : [1, 1]) },
      1,
    );
    expect(resolved.probabilities[0]).toBeUndefined();
    expect(Array.from(resolved.probabilities[1]!)).toEqual([0.5, 0.5]);
    expect(resolved.unevaluated).toEqual([
      { line: 1, reason: "the target gives a probability that is not a finite number" },
    ]);
  });
});
