/** Reading logs: the service export, generic JSONL and CSV; malformed rows are reported by line and skipped. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countByCategory } from "../../src/ope/format-report.js";
import { evaluate, loadDecisions, OpeInputError, parseLog, readLogFile } from "../../src/ope/index.js";
import { exportRow } from "./ope-fixtures.js";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const jsonl = (rows: readonly unknown[]) =>
  rows.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");

describe("the service's decision export", () => {
  it("reads the first served action, its P(first), the reward, priors and the placement", () => {
    const log = parseLog(jsonl([exportRow()]));
    expect(log.format).toBe("decision-export");
    expect(log.malformed).toEqual([]);
    const [row] = log.rows;
    expect(row).toMatchObject({
      line: 1,
      id: "d-1",
      candidates: ["card_cashback", "loan_personal"],
      action: 0,
      propensity: 0.7,
      reward: 1,
    });
    expect(Array.from(row!.x)).toEqual([1, 0.5, -0.25]);
    expect(Array.from(row!.priors!)).toEqual([0.1, 0.05]);
    expect(Array.from(row!.loggingProbabilities!)).toEqual([0.7, 0.3]);
    expect(row!.placement).toMatchObject({ journey: "cross_sell", step: "product_page", channel: "web" });
    expect(log.featureNames).toEqual(["banditContext[0]", "banditContext[1]", "banditContext[2]"]);
  });

  it("reports malformed rows with their line numbers and keeps the rest", () => {
    const log = parseLog(
      jsonl([
        exportRow({ decisionId: "ok-1" }),
        "{not json",
        exportRow({
          decisionId: "bad-sum",
          candidateProbabilities: { card_cashback: 0.7, loan_personal: 0.7 },
        }),
        "",
        exportRow({ decisionId: "no-reward", rewards: [] }),
        exportRow({ decisionId: "bad-type", banditContext: "x" }),
        exportRow({ decisionId: "other-dim", banditContext: [1, 2] }),
        exportRow({ decisionId: "served-unknown", candidateProbabilities: { loan_personal: 1 } }),
        exportRow({ decisionId: "nothing", chosen: [], candidateProbabilities: {} }),
        exportRow({ decisionId: "ok-2" }),
      ]),
    );
    expect(log.rows.map((r) => [r.id, r.line])).toEqual([
      ["ok-1", 1],
      ["ok-2", 10],
    ]);
    expect(log.read).toBe(9);
    expect(log.malformed.map((m) => m.line)).toEqual([2, 3, 6, 7, 8]);
    expect(log.malformed[0]!.reason).toMatch(/^not valid JSON/);
    expect(log.malformed[1]!.reason).toBe("candidateProbabilities sum to 1.400000, not 1");
    expect(log.malformed[2]!.reason).toMatch(/^banditContext: /);
    expect(log.malformed[3]!.reason).toBe(
      "banditContext has 2 numbers, earlier rows have 3 (another context schema)",
    );
    expect(log.malformed[4]!.reason).toBe(
      "served action card_cashback has no entry in candidateProbabilities",
    );
    expect(log.skipped).toEqual([
      {
        line: 5,
        reason: "no reward joined for card_cashback yet (reward window still open?)",
        category: "no reward yet",
      },
      { line: 9, reason: "nothing was served (no candidate reached the bandit)", category: "nothing served" },
    ]);
    // The report counts them by cause, so 160 rows still waiting for rewards are not lost in a list.
    expect(countByCategory([...log.skipped, { line: 10, reason: "x", category: "no reward yet" }])).toBe(
      "no reward yet 2, nothing served 1",
    );
  });

  it("is not thrown off by a malformed first row: the first row of either kind decides", () => {
    const { candidateProbabilities, ...misspelt } = exportRow({ decisionId: "typo" });
    for (const first of [
      "{}",
      "[]",
      JSON.stringify({ ...misspelt, candidateProbabilitys: candidateProbabilities }),
    ]) {
      const log = parseLog(jsonl([first, exportRow({ decisionId: "a" }), exportRow({ decisionId: "b" })]));
      expect(log.format, first).toBe("decision-export");
      expect(
        log.rows.map((r) => r.id),
        first,
      ).toEqual(["a", "b"]);
      expect(
        log.malformed.map((m) => m.line),
        first,
      ).toEqual([1]);
    }
  });

  it("skips a decision whose first choice was refused at write time (its served ranks start at 2)", () => {
    const row = exportRow({ decisionId: "refused-first" });
    const chosen = (row.chosen as { rank: number }[]).map((c) => ({ ...c, rank: c.rank + 1 }));
    const log = parseLog(jsonl([{ ...row, chosen }]));
    expect(log.rows).toEqual([]);
    expect(log.skipped).toEqual([
      {
        line: 1,
        reason: "the policy's first choice was not served (refused at write time by a concurrent decision)",
        category: "first choice refused",
      },
    ]);
  });

  it("reads a decision without candidateProbabilities as a bad export row, and says so", () => {
    const { candidateProbabilities: _, ...bare } = exportRow({ decisionId: "bare" });
    const log = parseLog(jsonl([bare]));
    expect(log.format).toBe("decision-export");
    expect(log.malformed).toEqual([
      {
        line: 1,
        reason:
          "candidateProbabilities: is required (the logging policy's P(first) of every candidate: what OPE weights by)",
      },
    ]);
    // The whole log unusable: the error names why, not only how many rows.
    expect(() =>
      evaluate(log, { kind: "bandit", exploration: { algorithm: "softmax", temperature: 1 } }),
    ).toThrow(
      "no usable rows: 1 malformed and 0 skipped of 1; first malformed at line 1: candidateProbabilities: is required",
    );
    const unserved = parseLog(jsonl([exportRow({ chosen: [], candidateProbabilities: {} })]));
    expect(() =>
      evaluate(unserved, { kind: "bandit", exploration: { algorithm: "softmax", temperature: 1 } }),
    ).toThrow("; first skipped at line 1: nothing was served (no candidate reached the bandit)");
  });

  it("refuses a decision logged twice (overlapping exports concatenated), keeping its first line", () => {
    const log = parseLog(
      jsonl([exportRow({ decisionId: "a" }), exportRow({ decisionId: "b" }), exportRow({ decisionId: "a" })]),
    );
    expect(log.rows.map((r) => r.line)).toEqual([1, 2]);
    expect(log.malformed).toEqual([
      { line: 3, reason: "decision a is already at line 1 (overlapping exports concatenated?)" },
    ]);
    const generic = parseLog(
      jsonl([
        { id: "x", action: "a", propensity: 0.5, reward: 1 },
        { action: "a", propensity: 0.5, reward: 0 },
        { action: "a", propensity: 0.5, reward: 0 },
        { id: "x", action: "b", propensity: 0.5, reward: 0 },
      ]),
    );
    expect(generic.rows.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(generic.malformed.map((m) => m.line)).toEqual([4]);
  });

  it("takes exported decisions held in memory", () => {
    const log = loadDecisions([exportRow({ decisionId: "m-1" }), exportRow({ decisionId: "m-2" })]);
    expect(log.rows.map((r) => [r.id, r.line])).toEqual([
      ["m-1", 1],
      ["m-2", 2],
    ]);
  });
});

describe("generic JSONL", () => {
  it("reads features by name (top level or in `features`), one-hot strings, aliases and candidates", () => {
    const log = parseLog(
      jsonl([
        {
          decisionId: 7,
          actionId: "b",
          pscore: 0.25,
          reward: true,
          age: 30,
          segment: "mass",
          candidates: ["a", "b", "c"],
        },
        {
          id: "x",
          action: "a",
          propensity: 0.5,
          reward: 0,
          features: { age: 40, segment: "private", vip: true },
        },
        {
          action: "c",
          propensity: 0.2,
          reward: 2.5,
          candidates: { a: 0.3, c: 0.2, d: 0.5 },
          priors: { a: 0.1, c: 0.2, d: 0.3 },
        },
      ]),
    );
    expect(log.format).toBe("jsonl");
    expect(log.malformed).toEqual([]);
    expect(log.featureNames).toEqual(["age", "segment=mass", "segment=private", "vip"]);
    const [r1, r2, r3] = log.rows;
    expect(r1).toMatchObject({
      id: "7",
      action: 1,
      propensity: 0.25,
      reward: 1,
      candidates: ["a", "b", "c"],
    });
    expect(Array.from(r1!.x)).toEqual([30, 1, 0, 0]);
    // No candidates: every action the log mentions.
    expect(r2).toMatchObject({ id: "x", candidates: ["b", "a", "c", "d"], action: 1 });
    expect(Array.from(r2!.x)).toEqual([40, 0, 1, 1]);
    expect(r3).toMatchObject({ id: "line:3", candidates: ["a", "c", "d"], action: 1, reward: 2.5 });
    expect(Array.from(r3!.loggingProbabilities!)).toEqual([0.3, 0.2, 0.5]);
    expect(Array.from(r3!.priors!)).toEqual([0.1, 0.2, 0.3]);
  });

  it("reports each bad row with its line and why", () => {
    const log = parseLog(
      jsonl([
        { action: "a", propensity: 0.5, reward: 1 },
        { action: "a", reward: 1 },
        { action: "a", propensity: 0, reward: 1 },
        { action: "a", propensity: 0.5, reward: "yes" },
        { action: "z", propensity: 0.5, reward: 1, candidates: ["a", "b"] },
        { action: "a", propensity: 0.4, reward: 1, candidates: { a: 0.5, b: 0.5 } },
        { action: "a", actionId: "b", propensity: 0.5, reward: 1 },
        { action: "a", propensity: 0.5, reward: 1, nested: { x: 1 } },
        [1, 2],
        { action: "a", propensity: "0.5", accepted: true },
        { action: "b", propensity: 0.5, reward: 0 },
      ]),
    );
    expect(log.rows.map((r) => r.line)).toEqual([1, 11]);
    expect(log.malformed).toEqual([
      { line: 2, reason: "propensity: is required" },
      { line: 3, reason: "propensity: must be more than 0 (the logged action had to be possible)" },
      { line: 4, reason: "reward: must be a finite number (or true/false)" },
      { line: 5, reason: "action z is not among the candidates" },
      { line: 6, reason: "candidates.a (0.5) differs from propensity (0.4)" },
      { line: 7, reason: "both action and actionId given" },
      { line: 8, reason: expect.stringMatching(/^features\.nested: /) },
      { line: 9, reason: "not a JSON object" },
      // A missing field says so; a field of the wrong type says what it must be.
      { line: 10, reason: "propensity: must be a number; reward: is required" },
    ]);
  });
});

describe("generic CSV", () => {
  it("reads named feature columns, quoted fields and `|`-separated candidates, and skips bad records", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ope-csv-"));
    dirs.push(dir);
    const file = join(dir, "log.csv");
    await writeFile(
      file,
      [
        "id,action,propensity,reward,candidates,age,segment",
        "r1,a,0.5,1,a|b,30,mass",
        'r2,b,0.5,0,a|b,41,"private, with ""quotes"""',
        "r3,a,oops,1,a|b,30,mass",
        "r4,a,0.5,1,a|b,30",
        "",
        'r5,b,0.25,0,a|b|c,,"two',
        'lines"',
        "r6,c,0.25,1,,22,mass",
      ].join("\r\n"),
    );
    const log = await readLogFile(file);
    expect(log.format).toBe("csv");
    expect(log.rows.map((r) => [r.id, r.line])).toEqual([
      ["r1", 2],
      ["r2", 3],
      ["r5", 7],
      ["r6", 9],
    ]);
    expect(log.malformed).toEqual([
      { line: 4, reason: "propensity: must be a number" },
      { line: 5, reason: "has 6 fields, the header has 7" },
    ]);
    expect(log.featureNames).toEqual([
      "age",
      "segment=mass",
      'segment=private, with "quotes"',
      "segment=two\nlines",
    ]);
    expect(log.rows[2]!.candidates).toEqual(["a", "b", "c"]);
    expect(log.rows[3]!.candidates).toEqual(["a", "b", "c"]); // no candidates: every action in the log
    expect(Array.from(log.rows[2]!.x)).toEqual([0, 0, 0, 1]);
  });

  it("refuses a header without the needed columns, and a file it cannot read", async () => {
    expect(() => parseLog("x,propensity\n1,0.5\n", { format: "csv" })).toThrow(OpeInputError);
    expect(() => parseLog("x,propensity\n", { format: "csv" })).toThrow(
      "the CSV header (line 1) needs the columns action, reward; found x, propensity",
    );
    // A JSONL log read as CSV names the fix, not the first object split at its commas.
    expect(() => parseLog(`${JSON.stringify(exportRow())}\n`, { format: "csv" })).toThrow(
      "line 1 is a JSON object, not a CSV header: read the log as JSONL (--format jsonl)",
    );
    await expect(readLogFile("/nonexistent/log.jsonl")).rejects.toThrow(
      /^cannot read log \/nonexistent\/log.jsonl: /,
    );
  });

  it("reports a quoted field that never closes", () => {
    const log = parseLog('action,propensity,reward\na,0.5,1\n"b,0.5,1\n', { format: "csv" });
    expect(log.rows).toHaveLength(1);
    expect(log.malformed).toEqual([{ line: 3, reason: "a quoted field is never closed" }]);
  });
});
