import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/validation-error.js";
import { loadPolicy, tryLoadPolicy } from "../../src/policy/load-policy.js";
import { describePolicyErrors } from "../../src/policy/policy-problems.js";
import { MINIMAL_YAML, minimalPolicy, policyWithValue } from "./policy-fixtures.js";

describe("loading policy text", () => {
  it("reports a YAML syntax error with its line and column", () => {
    const text = MINIMAL_YAML.replace("    value: 120\n", "    value: 120\n   oops: [1, 2\n");
    const result = tryLoadPolicy(text, { fileName: "bank.yaml" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = text.split("\n").findIndex((l) => l.includes("oops")) + 1;
    expect(line).toBe(14);
    expect(result.problems).toEqual([
      {
        field: "(syntax)",
        reason: expect.stringMatching(
          /^line 14, column 1: Sequence item without - indicator, at " {3}oops: \[1, 2" \(YAML reads the structure from indentation: /,
        ),
      },
    ]);
  });

  it("reports one stray space as one problem at its line, not the parser's echoes of it", () => {
    // One space too few before `name:` made the parser report seven errors over five lines.
    const text = MINIMAL_YAML.replace("    name: Personal loan", "   name: Personal loan");
    const result = tryLoadPolicy(text);
    if (result.ok) throw new Error("expected a syntax error");
    expect(result.problems).toHaveLength(1);
    const line = text.split("\n").indexOf("   name: Personal loan") + 1;
    expect(result.problems[0]!.reason).toMatch(
      new RegExp(
        `^line ${line}, column 1: .*, at " {3}name: Personal loan" \\(YAML reads the structure from indentation: .*; fix it and save again: the \\d+ further error\\(s\\) after it may all come from it$`,
      ),
    );
  });

  it("says to quote an operator that starts with a YAML indicator", () => {
    const text = MINIMAL_YAML.replace(
      "    value: 400\n",
      "    value: 400\n    eligibility: { >=: [{ var: features.age }, 18] }\n",
    );
    const result = tryLoadPolicy(text);
    if (result.ok) throw new Error("expected a syntax error");
    expect(result.problems[0]!.reason).toContain(
      '(put quotes around a value or operator that starts with one of > ! | & * % @ `, e.g. ">=")',
    );
  });

  it("reports a duplicated YAML key with its line", () => {
    const result = tryLoadPolicy("name: a\nname: b\n");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toEqual([
        { field: "(syntax)", reason: 'line 2, column 1: Map keys must be unique, at "name: b"' },
      ]);
  });

  it("reports a JSON syntax error, and chooses JSON by extension or by a leading brace", () => {
    const broken = '{\n  "name": "x",\n  "actions": [1,]\n}';
    for (const options of [{ fileName: "p.json" }, {}]) {
      const result = tryLoadPolicy(broken, options);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems[0]!.field).toBe("(syntax)");
    }
    expect(tryLoadPolicy(JSON.stringify(minimalPolicy()), { fileName: "p.json" }).ok).toBe(true);
  });

  it("gives the same content the same version, whatever its format, key order, comments or spelt-out defaults", () => {
    const fromYaml = loadPolicy(MINIMAL_YAML, { fileName: "p.yaml" });
    const fromJson = loadPolicy(JSON.stringify(minimalPolicy()), { fileName: "p.json" });
    const reordered = loadPolicy(Object.fromEntries(Object.entries(minimalPolicy()).reverse()));
    const commented = loadPolicy(
      `# changed comment only\n${MINIMAL_YAML.replace("# a minimal policy", "# edited")}`,
    );
    const explicitDefaults = loadPolicy(minimalPolicy({ description: "", topK: { defaultLimit: 1 } }));
    expect(fromYaml.version).toMatch(/^[0-9a-f]{12}$/);
    for (const p of [fromJson, reordered, commented, explicitDefaults])
      expect(p.version).toBe(fromYaml.version);
    expect(loadPolicy(policyWithValue(121)).version).not.toBe(fromYaml.version);
  });

  it("throws a ValidationError listing every problem, and describes them for a terminal", () => {
    const bad = minimalPolicy({ businessUnits: { cards: -1 }, journeys: {} });
    let error: unknown;
    try {
      loadPolicy(bad, { fileName: "data/policies/x.yaml" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems.map((p) => p.field)).toEqual(
      [
        "actions[0].placements[0].journey",
        "actions[1].placements[0].journey",
        "actions[1].placements[1].journey",
        "actions[1].businessUnit",
        "businessUnits.cards.weight",
        "journeys",
      ].sort((a, b) => a.localeCompare(b, "en", { numeric: true })),
    );
    const text = describePolicyErrors(problems, "policy file x.yaml");
    expect(text.split("\n")[0]).toBe("policy file x.yaml is invalid (6 problems):");
    expect(text).toContain(
      '  - actions[1].businessUnit: "loans" is not a business unit of this policy (expected one of: cards)',
    );
    expect(text).toContain("  - journeys: must define at least one journey");
  });
});
