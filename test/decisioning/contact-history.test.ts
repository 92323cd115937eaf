/** The pure contact rules: built from the shipped policy, and checked cumulatively within one response. */
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ContactCandidate,
  contactViolations,
  EMPTY_CONTACT_HISTORY,
  withImpressions,
} from "../../src/decisioning/contact-history.js";
import { type ContactRules, contactRulesOf } from "../../src/decisioning/contact-rules.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { DAY, HOUR } from "./decision-fixtures.js";

const T0 = Date.UTC(2026, 5, 15);
let rules: ContactRules;

beforeAll(async () => {
  rules = contactRulesOf(await loadPolicyFile("data/policies/bank-policy.yaml"));
});

const web = (actionId: string, businessUnit: string): ContactCandidate => ({
  actionId,
  businessUnit,
  channel: "web",
});

describe("contact rules of the bank policy", () => {
  it("takes caps per customer, channel and business unit, and each action's resolved cool-down and suppression", () => {
    expect(rules.perCustomer).toEqual([
      { max: 3, days: 7 },
      { max: 8, days: 30 },
    ]);
    expect(rules.perChannel.get("email")).toEqual([{ max: 2, days: 7 }]);
    expect(rules.perBusinessUnit.get("mortgages")).toEqual([{ max: 1, days: 14 }]);
    expect(rules.perBusinessUnit.get("cards")).toEqual([]);
    expect(rules.actions.get("loan_debt_consolidation")).toEqual({ cooldownHours: 168, suppressionDays: 30 });
    expect(rules.actions.get("service_callback")).toEqual({ cooldownHours: 48, suppressionDays: 7 });
    expect(rules.defaults).toEqual({ cooldownHours: 48, suppressionDays: 30 });
    expect(rules.retentionMs).toBe(30 * DAY);
  });

  it("is built once per policy version", async () => {
    const policy = await loadPolicyFile("data/policies/bank-policy.yaml");
    expect(contactRulesOf(policy)).toBe(contactRulesOf(policy));
  });
});

describe("contactViolations", () => {
  it("lets a pipeline check the second and third action of one response against caps the first used", () => {
    const shown = [web("card_cashback", "cards"), web("loan_personal", "loans")];
    let history = withImpressions(EMPTY_CONTACT_HISTORY, [web("savings_easy_access", "savings")], T0 - DAY);
    const kept: string[] = [];
    for (const c of [...shown, web("savings_fixed_term", "savings")]) {
      if (contactViolations(history, c, rules, T0) === undefined) {
        kept.push(c.actionId);
        history = withImpressions(history, [c], T0);
      }
    }
    expect(kept).toEqual(["card_cashback", "loan_personal"]);
    expect(contactViolations(history, web("savings_fixed_term", "savings"), rules, T0)).toBe(
      "per-customer cap reached: at most 3 impressions in 7 days",
    );
  });

  it("applies an action's own cool-down and falls back to the defaults for an action the policy lost", () => {
    const history = withImpressions(
      EMPTY_CONTACT_HISTORY,
      [web("loan_debt_consolidation", "loans"), web("gone", "cards")],
      T0,
    );
    expect(contactViolations(history, web("loan_debt_consolidation", "loans"), rules, T0 + 167 * HOUR)).toBe(
      "shown within the last 168 hours (cool-down)",
    );
    expect(
      contactViolations(history, web("loan_debt_consolidation", "loans"), rules, T0 + 168 * HOUR),
    ).toBeUndefined();
    expect(contactViolations(history, web("gone", "cards"), rules, T0 + 47 * HOUR)).toBe(
      "shown within the last 48 hours (cool-down)",
    );
  });
});
