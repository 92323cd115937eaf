import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { actionsAt, checkEligibility, priorityOf } from "../../src/policy/policy-priority.js";
import { type RuleData, RuleEvaluator } from "../../src/policy/policy-rules.js";
import { minimalPolicy } from "./policy-fixtures.js";

const data = (over: Partial<RuleData> = {}): RuleEvaluator =>
  new RuleEvaluator({
    features: { age: 30 },
    profile: {},
    context: { channel: "web" },
    scores: {},
    ...over,
  });

describe("what a policy tells the decision pipeline", () => {
  it("lists the enabled actions placed at a journey step and allowed on the channel, in document order", () => {
    const base = minimalPolicy();
    const actions = [
      ...(base.actions as object[]),
      {
        id: "card_travel",
        businessUnit: "cards",
        name: "Travel",
        value: 180,
        enabled: false,
        placements: [{ journey: "cross_sell" }],
      },
    ];
    const policy = loadPolicy({ ...base, actions });
    const ids = (journey: string, step: string, channel: string) =>
      actionsAt(policy, { journey, step, channel }).map((a) => a.id);
    expect(ids("cross_sell", "product_page", "web")).toEqual(["card_cashback", "loan_personal"]);
    expect(ids("cross_sell", "browse", "web")).toEqual(["card_cashback"]);
    expect(ids("cross_sell", "product_page", "email")).toEqual(["card_cashback"]);
    expect(ids("servicing", "login", "app")).toEqual(["loan_personal"]);
    expect(ids("nowhere", "login", "app")).toEqual([]);
  });

  it("computes priority = propensity x value x business-unit weight x lever x matching context weights", () => {
    const policy = loadPolicy(
      minimalPolicy({
        businessUnits: { cards: 1.5, loans: 2 },
        contextWeights: [
          { when: { "==": [{ var: "context.channel" }, "app"] }, weight: 3, description: "app users" },
          { when: true, weight: 0.5, businessUnit: "loans" },
          { when: true, weight: 10, actionId: "card_cashback" },
          { when: { in: ["x", { var: "context.tags" }] }, weight: 7 },
        ],
      }),
    );
    const loan = policy.actionById.get("loan_personal")!;
    const onApp = priorityOf(policy, loan, 0.1, data({ context: { channel: "app", tags: ["y"] } }));
    expect(onApp.priority).toBeCloseTo(0.1 * 400 * 2 * 1 * 3 * 0.5, 10);
    expect(onApp).toMatchObject({
      propensity: 0.1,
      value: 400,
      businessUnitWeight: 2,
      lever: 1,
      contextWeight: 1.5,
      errors: [],
    });
    expect(onApp.appliedContextWeights.map((w) => w.source)).toEqual([
      "contextWeights[0]",
      "contextWeights[1]",
    ]);

    const card = policy.actionById.get("card_cashback")!;
    const broken = priorityOf(policy, card, 0.2, data({ context: { channel: "web", tags: { indexOf: 1 } } }));
    expect(broken.priority).toBeCloseTo(0.2 * 120 * 1.5 * 10, 10);
    expect(broken.errors).toEqual([expect.stringMatching(/^contextWeights\[3\]\.when failed at run time/)]);
    expect(priorityOf(policy, card, Number.NaN, data()).priority).toBe(0);
  });

  it("applies the lever and resolves eligibility per action", () => {
    const base = minimalPolicy();
    const [card, loan] = base.actions as Record<string, unknown>[];
    const policy = loadPolicy({ ...base, actions: [{ ...card, lever: 0.5 }, loan] });
    const cashback = policy.actionById.get("card_cashback")!;
    expect(priorityOf(policy, cashback, 1, data()).priority).toBe(120 * 1 * 0.5);
    const personal = policy.actionById.get("loan_personal")!;
    expect(checkEligibility(personal, data({ features: { age: 17 } }))).toEqual({ matched: false });
    expect(checkEligibility(personal, data({ features: { age: 18 } }))).toEqual({ matched: true });
  });
});
