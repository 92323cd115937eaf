import { describe, expect, it } from "vitest";
import { ruleText } from "../../src/decisioning/rule-text.js";
import { compileRule } from "../../src/policy/policy-rules.js";

const text = (logic: unknown) => ruleText(compileRule(logic as never, "actions[1].eligibility"));

describe("rule text in explanations", () => {
  it("reads as an expression a product owner can check against the policy file", () => {
    expect(text({ "==": [{ var: "features.holds_credit_card" }, 1] })).toBe(
      "actions[1].eligibility features.holds_credit_card == 1",
    );
    expect(
      text({
        and: [{ "==": [{ var: "features.holds_mortgage" }, 0] }, { ">=": [{ var: "features.age" }, 21] }],
      }),
    ).toBe("actions[1].eligibility (features.holds_mortgage == 0) and (features.age >= 21)");
    expect(
      text({
        or: [
          { ">=": [{ var: ["scores.churn", 0] }, 0.3] },
          { ">=": [{ var: ["features.complaints_90d", 0] }, 1] },
        ],
      }),
    ).toBe("actions[1].eligibility ((scores.churn ?? 0) >= 0.3) or ((features.complaints_90d ?? 0) >= 1)");
    expect(text({ in: [{ var: "context.channel" }, ["call_centre", "branch"]] })).toBe(
      "actions[1].eligibility context.channel in ['call_centre', 'branch']",
    );
    expect(text({ "<": [18, { var: "features.age" }, 65] })).toBe(
      "actions[1].eligibility 18 < features.age < 65",
    );
    expect(text({ "!": [{ var: "profile.segment" }] })).toBe("actions[1].eligibility not profile.segment");
    expect(text({ max: [{ var: "features.age" }, 3] })).toBe("actions[1].eligibility max(features.age, 3)");
  });

  it("holds no double quotes (nothing to escape in JSON) and stays short", () => {
    expect(text({ "==": [{ var: "profile.segment" }, "affluent"] })).not.toContain('"');
    const long = { and: Array.from({ length: 30 }, (_, i) => ({ ">=": [{ var: "features.age" }, i] })) };
    expect(text(long).length).toBeLessThanOrEqual("actions[1].eligibility ".length + 163);
    expect(text(long).endsWith("...")).toBe(true);
  });
});
