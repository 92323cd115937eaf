import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PRODUCTS, type Product } from "../../src/features/vocabulary.js";
import { ACTION_CATALOGUE, isEligible } from "../../src/generator/action-catalogue.js";
import { tryLoadPolicy } from "../../src/policy/load-policy.js";
import { checkEligibility } from "../../src/policy/policy-priority.js";
import { describePolicyErrors } from "../../src/policy/policy-problems.js";
import { RuleEvaluator } from "../../src/policy/policy-rules.js";

const FILE = new URL("../../data/policies/bank-policy.yaml", import.meta.url);

function samplePolicy() {
  const result = tryLoadPolicy(readFileSync(FILE, "utf8"), { fileName: "bank-policy.yaml" });
  if (!result.ok) throw new Error(describePolicyErrors(result.problems, "bank-policy.yaml"));
  return result.policy;
}

describe("the shipped sample policy", () => {
  it("validates", () => {
    expect(samplePolicy().version).toMatch(/^[0-9a-f]{12}$/);
  });

  it("holds exactly the catalogue's actions with the same business units and values", () => {
    const policy = samplePolicy();
    const fromPolicy = policy.actions.map((a) => ({
      id: a.id,
      businessUnit: a.businessUnit,
      value: a.value,
    }));
    const fromCatalogue = ACTION_CATALOGUE.map((a) => ({
      id: a.id,
      businessUnit: a.businessUnit,
      value: a.value,
    }));
    expect(fromPolicy).toEqual(fromCatalogue);
    expect(policy.document.contactPolicy.perCustomer).toContainEqual({ max: 3, days: 7 });
  });

  it("encodes the catalogue's product requirements in its eligibility rules", () => {
    const policy = samplePolicy();
    // Every combination of products held, for an adult with churn risk, so only product rules decide.
    for (let mask = 0; mask < 1 << PRODUCTS.length; mask++) {
      const held: Product[] = PRODUCTS.filter((_, i) => mask & (1 << i));
      const features = Object.fromEntries(PRODUCTS.map((p) => [`holds_${p}`, held.includes(p) ? 1 : 0]));
      const data = {
        features: { ...features, age: 35, complaints_90d: 0, app_logins_30d: 0 },
        profile: {},
        context: {},
        scores: { churn: 0.5 },
      };
      for (const action of ACTION_CATALOGUE) {
        const result = checkEligibility(policy.actionById.get(action.id)!, new RuleEvaluator(data));
        expect(result.error).toBeUndefined();
        expect(result.matched, `${action.id} holding [${held.join(", ")}]`).toBe(isEligible(action, held));
      }
    }
  });

  it("offers retention actions only to customers at risk", () => {
    const policy = samplePolicy();
    const fee = policy.actionById.get("retention_fee_waiver")!;
    const base = { profile: {}, context: {} };
    expect(
      checkEligibility(
        fee,
        new RuleEvaluator({ ...base, features: { complaints_90d: 0 }, scores: { churn: 0.1 } }),
      ).matched,
    ).toBe(false);
    expect(
      checkEligibility(
        fee,
        new RuleEvaluator({ ...base, features: { complaints_90d: 1 }, scores: { churn: 0.1 } }),
      ).matched,
    ).toBe(true);
    expect(
      checkEligibility(
        fee,
        new RuleEvaluator({ ...base, features: { complaints_90d: 0 }, scores: { churn: 0.3 } }),
      ).matched,
    ).toBe(true);
    const mortgage = policy.actionById.get("mortgage_first_home")!;
    expect(
      checkEligibility(
        mortgage,
        new RuleEvaluator({ ...base, features: { holds_mortgage: 0, age: 20 }, scores: {} }),
      ).matched,
    ).toBe(false);
  });
});
