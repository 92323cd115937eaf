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
    expect(result.problems[0]).toEqual({
      field: "(syntax)",
      reason: "line 14, column 1: Sequence item without - indicator",
    });
  });

  it("reports a duplicated YAML key with its line", () => {
    const result = tryLoadPolicy("name: a\nname: b\n");
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toEqual([
        { field: "(syntax)", reason: "line 2, column 1: Map keys must be unique" },
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
