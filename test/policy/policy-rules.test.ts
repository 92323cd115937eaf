import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/validation-error.js";
import { compileRule, evaluate, type RuleData, RuleEvaluator } from "../../src/policy/policy-rules.js";

const data = (over: Partial<RuleData> = {}): RuleData => ({
  features: { age: 30, holds_mortgage: 0, complaints_90d: 2 },
  profile: { segment: "mass", productsHeld: ["current_account", "credit_card"] },
  context: { channel: "app", journey: "retention" },
  scores: { churn: 0.4 },
  ...over,
});

describe("rule evaluation", () => {
  it("reads features, profile, context and scores", () => {
    const rule = compileRule(
      {
        and: [
          { "==": [{ var: "features.holds_mortgage" }, 0] },
          { ">=": [{ var: "features.age" }, 21] },
          { in: ["credit_card", { var: "profile.productsHeld" }] },
          { "==": [{ var: "context.channel" }, "app"] },
          { ">=": [{ var: "scores.churn" }, 0.3] },
        ],
      },
      "actions[0].eligibility",
    );
    expect(evaluate(rule, data())).toEqual({ matched: true });
    expect(evaluate(rule, data({ features: { age: 19, holds_mortgage: 0 } }))).toEqual({ matched: false });
    expect(evaluate(rule, data({ context: { channel: "web" } }))).toEqual({ matched: false });
  });

  it("reads a missing variable as null, or as the default the rule gives", () => {
    const strict = compileRule({ ">=": [{ var: "scores.churn" }, 0.5] }, "r");
    const defaulted = compileRule({ ">=": [{ var: ["scores.churn", 1] }, 0.5] }, "r");
    expect(evaluate(strict, data({ scores: {} })).matched).toBe(false);
    expect(evaluate(defaulted, data({ scores: {} })).matched).toBe(true);
    // json-logic compares null like 0: documented in docs/policies.md as the pitfall it is.
    expect(
      evaluate(compileRule({ "<": [{ var: "features.age" }, 60] }, "r"), data({ features: {} })).matched,
    ).toBe(true);
  });

  it("counts a rule that throws at run time as false and says which rule and why", () => {
    // json-logic's `in` calls b.indexOf: a context object with a non-function indexOf makes it throw.
    const rule = compileRule({ in: ["x", { var: "context.tags" }] }, "contextWeights[1].when");
    const result = evaluate(rule, data({ context: { tags: { indexOf: 1 } } }));
    expect(result.matched).toBe(false);
    expect(result.error).toMatch(
      /^contextWeights\[1\]\.when failed at run time \(.*indexOf is not a function\); counted as false$/,
    );
    expect(evaluate(rule, data({ context: { tags: ["x"] } }))).toEqual({ matched: true });
  });

  it("treats the literal true as always matching without running the interpreter", () => {
    const rule = compileRule(true, "r");
    expect(rule.alwaysTrue).toBe(true);
    expect(evaluate(rule, data())).toEqual({ matched: true });
  });

  it("freezes a compiled rule so nobody can change it after validation", () => {
    const source = { "==": [{ var: "features.age" }, 30] };
    const rule = compileRule(source, "r");
    expect(() => {
      ((rule.logic as Record<string, unknown[]>)["=="] as unknown[])[1] = 31;
    }).toThrow(TypeError);
    // The caller's object is copied, not frozen.
    source["=="][1] = 99;
    expect(evaluate(rule, data()).matched).toBe(true);
  });

  it("refuses to compile an unsafe rule, naming the path inside it", () => {
    let error: unknown;
    try {
      compileRule(
        { or: [false, { method: [{ var: "context.x" }, "constructor"] }] },
        "actions[2].eligibility",
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      {
        field: "actions[2].eligibility.or[1].method",
        reason: 'operator "method" is not allowed: it calls a JavaScript method, which a policy may never do',
      },
    ]);
  });
});

describe("RuleEvaluator: one decision's rules", () => {
  const decision = {
    features: { age: 30 },
    profile: {},
    context: { channel: "app" },
    scores: { churn: 0.4 },
  };

  it("knows which rules read the judged action's own score", () => {
    expect(compileRule({ ">=": [{ var: "features.age" }, 18] }, "r").perCandidate).toBe(false);
    expect(compileRule({ ">=": [{ var: ["scores.churn", 0] }, 0.3] }, "r").perCandidate).toBe(false);
    expect(compileRule({ ">": [{ var: "scores.propensity" }, 0.1] }, "r").perCandidate).toBe(true);
    expect(compileRule({ ">": [{ var: ["scores.propensity", 0] }, 0.1] }, "r").perCandidate).toBe(true);
  });

  it("judges a propensity rule per candidate and shares the others' results", () => {
    const rules = new RuleEvaluator(decision);
    const high = compileRule({ ">": [{ var: "scores.propensity" }, 0.1] }, "high");
    expect(rules.evaluate(high, 0.2)).toEqual({ matched: true });
    expect(rules.evaluate(high, 0.05)).toEqual({ matched: false });
    const adult = compileRule({ ">=": [{ var: "features.age" }, 18] }, "a");
    const sameAdult = compileRule({ ">=": [{ var: "features.age" }, 18] }, "b");
    expect(rules.evaluate(adult, 0.2)).toEqual({ matched: true });
    // The evaluator keeps results: later changes to the data are not seen (its contract), which shows
    // that an equal rule is answered from the first one's result rather than run again.
    (decision.features as { age: number }).age = 10;
    expect(rules.evaluate(sameAdult, 0.9)).toEqual({ matched: true });
    expect(new RuleEvaluator(decision).evaluate(sameAdult)).toEqual({ matched: false });
    (decision.features as { age: number }).age = 30;
  });
});
