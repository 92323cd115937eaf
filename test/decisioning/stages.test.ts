import { beforeAll, describe, expect, it } from "vitest";
import type { DecisionContext } from "../../src/decisioning/decision-context.js";
import { decisionRequestSchema } from "../../src/decisioning/decision-request.js";
import { applyEligibility } from "../../src/decisioning/stages/apply-eligibility.js";
import { arbitrate } from "../../src/decisioning/stages/arbitrate.js";
import { selectCandidates } from "../../src/decisioning/stages/select-candidates.js";
import { maxPerGroup, topK } from "../../src/decisioning/stages/top-k.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { computeFeatureVector, featureRecord } from "../../src/features/feature-vector.js";
import { loadPolicy, loadPolicyFile, type Policy } from "../../src/policy/index.js";

let policy: Policy;
beforeAll(async () => {
  policy = await loadPolicyFile("data/policies/bank-policy.yaml");
});

function context(
  request: object,
  profile: Record<string, unknown> | null = null,
  churn = 0.1,
  p = policy,
): DecisionContext {
  const req = decisionRequestSchema.parse({
    customerId: "c1",
    journey: "cross_sell",
    step: "browse",
    channel: "web",
    ...request,
  });
  const vector = computeFeatureVector(FEATURE_PLAN, null, 0);
  const features = featureRecord(FEATURE_PLAN, vector);
  return {
    decisionId: "d1",
    request: req,
    now: 0,
    policy: p,
    features: { customerId: "c1", known: false, asOf: 0, lastEventAt: null, vector, profile: null },
    ruleData: {
      features,
      profile: profile ?? {},
      context: { ...req.context, journey: req.journey, step: req.step, channel: req.channel },
      scores: { churn },
    },
    candidates: [],
    excluded: [],
    stages: [],
    fallback: false,
    fallbackReasons: [],
  };
}

describe("select candidates", () => {
  it("takes what the policy places at the journey step and channel", () => {
    const ctx = context({});
    selectCandidates(ctx);
    expect(ctx.candidates.length).toBeGreaterThan(3);
    for (const c of ctx.candidates) expect([...c.action.channels]).toContain("web");
    expect(ctx.stages[0]).toEqual({ stage: "candidates", actionIds: ctx.candidates.map((c) => c.action.id) });
  });

  it("takes the caller's list, excluding unknown and off-channel actions with the reason", () => {
    const offChannel = policy.actions.find((a) => !a.channels.has("web"));
    const ctx = context({
      candidates: [
        "card_cashback",
        "no_such_action",
        "card_cashback",
        ...(offChannel ? [offChannel.id] : []),
      ],
    });
    selectCandidates(ctx);
    expect(ctx.candidates.map((c) => c.action.id)).toEqual(["card_cashback"]);
    expect(ctx.excluded[0]).toMatchObject({
      actionId: "no_such_action",
      stage: "candidates",
      reason: expect.stringContaining("is not an action of policy"),
    });
    if (offChannel)
      expect(ctx.excluded[1]).toMatchObject({
        actionId: offChannel.id,
        reason: "is not allowed on channel web",
      });
  });
});

describe("eligibility", () => {
  it("keeps a limit increase only for card holders and says which rule removed it", () => {
    const withCard = context(
      { candidates: ["card_limit_increase"] },
      { productsHeld: ["credit_card"], tenureMonths: 12, segment: "mass" },
    );
    (withCard.ruleData.features as Record<string, number>).holds_credit_card = 1;
    selectCandidates(withCard);
    applyEligibility(withCard);
    expect(withCard.candidates.map((c) => c.action.id)).toEqual(["card_limit_increase"]);

    const noCard = context(
      { candidates: ["card_limit_increase"] },
      { productsHeld: [], tenureMonths: 12, segment: "mass" },
    );
    selectCandidates(noCard);
    applyEligibility(noCard);
    expect(noCard.candidates).toEqual([]);
    expect(noCard.excluded[0]).toMatchObject({
      actionId: "card_limit_increase",
      stage: "eligibility",
      reason: expect.stringContaining("not eligible: actions["),
    });
  });
});

describe("arbitration", () => {
  it("ranks by propensity x value x unit weight x lever x context weight, excluding weight-0 units", () => {
    const doc = structuredClone(policy.document) as any;
    doc.businessUnits.loans.weight = 0;
    doc.businessUnits.cards.weight = 2;
    const tuned = loadPolicy(doc);
    const ctx = context({ candidates: ["card_cashback", "loan_personal"] }, null, 0.1, tuned);
    selectCandidates(ctx);
    for (const c of ctx.candidates) c.propensity = 0.1;
    arbitrate(ctx);
    expect(ctx.candidates.map((c) => c.action.id)).toEqual(["card_cashback"]);
    const p = ctx.candidates[0]!.priority!;
    expect(p.priority).toBeCloseTo(0.1 * p.value * 2 * p.lever * p.contextWeight, 12);
    expect(ctx.excluded).toEqual([
      {
        actionId: "loan_personal",
        stage: "arbitration",
        reason: "business unit loans has weight 0 in this policy",
      },
    ]);
  });
});

describe("top k", () => {
  it("keeps the order and at most n per business unit", () => {
    const units = ["cards", "cards", "loans", "cards", "savings"];
    const unit = (i: number) => units[i]!;
    expect(topK([0, 1, 2, 3, 4], 3, maxPerGroup(unit, 1))).toEqual([0, 2, 4]);
    expect(topK([0, 1, 2, 3, 4], 3, maxPerGroup(unit, undefined))).toEqual([0, 1, 2]);
    expect(topK([3, 1], 5, maxPerGroup(unit, 1))).toEqual([3]);
    expect(topK([0, 1, 2], 2, (i) => i !== 0)).toEqual([1, 2]);
  });
});
