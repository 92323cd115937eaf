import { describe, expect, it } from "vitest";
import { FEATURE_DEFINITIONS } from "../../src/features/feature-definitions.js";
import { BUSINESS_UNITS } from "../../src/features/vocabulary.js";
import {
  ACTION_CATALOGUE,
  ACTION_IDS,
  acceptanceProbability,
  churnHazard,
  churnProbability,
  DEFAULT_END,
  generateSample,
  isEligible,
  type LatentCustomer,
  OBSERVED_FEATURE_NAMES,
  type ObservedBehaviour,
  observedFromFeatures,
  optimalAction,
} from "../../src/generator/index.js";

const customer: LatentCustomer = {
  lifeStage: "family",
  priceSensitivity: 0.5,
  digitalAffinity: 0.5,
  baselineSatisfaction: 0.7,
  activity: 1,
  wealth: 1,
  interests: { cards: 0.5, loans: 0.5, mortgages: 0.5, savings: 0.5 },
  churnProneness: 0,
  engagementDrift: 0,
  satisfaction: 0.7,
  engagement: 1,
};
const observed: ObservedBehaviour = {
  cardProductViews7d: 0,
  loanProductViews7d: 0,
  mortgageProductViews30d: 0,
  savingsProductViews30d: 0,
  logins7d: 1,
  logins30d: 3,
  appLogins30d: 2,
  transactions7d: 2,
  transactions30d: 8,
  emailOpens30d: 1,
  serviceCalls30d: 0,
  complaints30d: 0,
  offerImpressions7d: 0,
  tenureMonths: 60,
  productsHeld: ["current_account"],
};

describe("action catalogue", () => {
  it("has 20 snake_case actions, 4 per business unit, valued 40..900 EUR", () => {
    expect(ACTION_CATALOGUE).toHaveLength(20);
    expect(new Set(ACTION_IDS).size).toBe(20);
    for (const a of ACTION_CATALOGUE) {
      expect(a.id).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(a.value).toBeGreaterThanOrEqual(40);
      expect(a.value).toBeLessThanOrEqual(900);
    }
    for (const unit of BUSINESS_UNITS) {
      expect(ACTION_CATALOGUE.filter((a) => a.businessUnit === unit)).toHaveLength(4);
    }
  });
});

describe("acceptanceProbability", () => {
  it("is in (0, 1) with base rates in the 1-15% range", () => {
    for (const id of ACTION_IDS) {
      const p = acceptanceProbability(customer, observed, id);
      expect(p).toBeGreaterThan(0.01);
      expect(p).toBeLessThan(0.15);
    }
    const extreme = { ...customer, priceSensitivity: 1, digitalAffinity: 0, satisfaction: 0, wealth: 50 };
    const busy = { ...observed, complaints30d: 50, mortgageProductViews30d: 1e6, offerImpressions7d: 1e3 };
    for (const id of ACTION_IDS) {
      const p = acceptanceProbability(extreme, busy, id, { channel: "branch" });
      expect(p).toBeGreaterThan(0);
      expect(p).toBeLessThan(1);
    }
  });

  it("responds to traits and to observed behaviour, differently per action", () => {
    const p = (c: Partial<LatentCustomer>, o: Partial<ObservedBehaviour>, id: (typeof ACTION_IDS)[number]) =>
      acceptanceProbability({ ...customer, ...c }, { ...observed, ...o }, id);
    expect(p({ digitalAffinity: 0.9 }, {}, "savings_round_up")).toBeGreaterThan(
      1.3 * p({ digitalAffinity: 0.1 }, {}, "savings_round_up"),
    );
    // Latent traits weigh little; the behaviour that reveals them weighs more.
    expect(p({}, { appLogins30d: 20 }, "savings_round_up")).toBeGreaterThan(
      2 * p({}, { appLogins30d: 0 }, "savings_round_up"),
    );
    expect(p({ digitalAffinity: 0.9 }, {}, "service_app_tutorial")).toBeLessThan(
      p({ digitalAffinity: 0.1 }, {}, "service_app_tutorial"),
    );
    expect(p({ satisfaction: 0.2 }, {}, "retention_fee_waiver")).toBeGreaterThan(
      1.5 * p({ satisfaction: 0.9 }, {}, "retention_fee_waiver"),
    );
    expect(p({}, { complaints30d: 2 }, "retention_fee_waiver")).toBeGreaterThan(
      3 * p({}, {}, "retention_fee_waiver"),
    );
    expect(p({}, { mortgageProductViews30d: 5 }, "mortgage_first_home")).toBeGreaterThan(
      3 * p({}, {}, "mortgage_first_home"),
    );
    expect(p({ lifeStage: "retired" }, {}, "mortgage_first_home")).toBeLessThan(
      p({ lifeStage: "young_professional" }, {}, "mortgage_first_home") / 5,
    );
    expect(p({}, { offerImpressions7d: 6 }, "card_cashback")).toBeLessThan(p({}, {}, "card_cashback"));
    expect(acceptanceProbability(customer, observed, "card_cashback", { channel: "email" })).toBeLessThan(
      acceptanceProbability(customer, observed, "card_cashback", { channel: "branch" }),
    );
  });

  it("makes different actions optimal for different customers in a generated sample", () => {
    const sample = generateSample({ customers: 200, days: 60, seed: 5, end: DEFAULT_END });
    const best = new Map<string, number>();
    let oracle = 0;
    const active = sample.customers.filter((c) => c.activeAtLabelTime);
    for (const c of active) {
      const b = optimalAction(c.traits, c.observedAtLabelTime!);
      expect(
        isEligible(ACTION_CATALOGUE.find((a) => a.id === b.actionId)!, c.observedAtLabelTime!.productsHeld),
      ).toBe(true);
      best.set(b.actionId, (best.get(b.actionId) ?? 0) + 1);
      oracle += b.expectedValue;
    }
    expect(best.size).toBeGreaterThanOrEqual(8);
    expect(Math.max(...best.values())).toBeLessThan(0.5 * active.length);
    // No single fixed action (where eligible) comes within 20% of the per-customer optimum.
    for (const id of ACTION_IDS) {
      const fixed = active.reduce((s, c) => {
        const o = c.observedAtLabelTime!;
        const action = ACTION_CATALOGUE.find((a) => a.id === id)!;
        return (
          s + (isEligible(action, o.productsHeld) ? acceptanceProbability(c.traits, o, id) * action.value : 0)
        );
      }, 0);
      expect(fixed).toBeLessThan(0.8 * oracle);
    }
  });
});

describe("churn", () => {
  it("rises with complaints, service calls, falling activity, falling engagement and low satisfaction", () => {
    const h = churnHazard(customer, observed);
    expect(h).toBeGreaterThan(0);
    expect(churnHazard(customer, { ...observed, complaints30d: 2 })).toBeGreaterThan(h);
    expect(churnHazard(customer, { ...observed, serviceCalls30d: 3 })).toBeGreaterThan(h);
    expect(churnHazard({ ...customer, engagement: 0.3 }, observed)).toBeGreaterThan(h);
    expect(churnHazard({ ...customer, satisfaction: 0.2 }, observed)).toBeGreaterThan(h);
    // Falling activity: a quiet last week after a busy month, and little activity at all.
    expect(churnHazard(customer, { ...observed, logins7d: 0, transactions7d: 0 })).toBeGreaterThan(h);
    expect(
      churnHazard(customer, {
        ...observed,
        logins7d: 0,
        logins30d: 0,
        transactions7d: 0,
        transactions30d: 1,
      }),
    ).toBeGreaterThan(h);
    expect(churnHazard(customer, { ...observed, emailOpens30d: 6 })).toBeLessThan(h);
    expect(
      churnHazard(customer, { ...observed, productsHeld: ["current_account", "mortgage", "credit_card"] }),
    ).toBeLessThan(h);
    expect(churnProbability(customer, observed)).toBeCloseTo(1 - (1 - h) ** 30, 12);
    expect(churnProbability(customer, observed, 60)).toBeGreaterThan(churnProbability(customer, observed));
  });

  it("ranks customers who then churn above those who stay (true probabilities are informative)", () => {
    const sample = generateSample({ customers: 1500, days: 60, seed: 9, end: DEFAULT_END });
    const active = sample.customers.filter((c) => c.activeAtLabelTime);
    const churners = active.filter((c) => c.churnedInLabelWindow);
    const stayers = active.filter((c) => !c.churnedInLabelWindow);
    expect(churners.length).toBeGreaterThan(20);
    const mean = (xs: typeof active) => xs.reduce((s, c) => s + c.churnProbability!, 0) / xs.length;
    expect(mean(churners)).toBeGreaterThan(1.5 * mean(stayers));
    const expected = active.reduce((s, c) => s + c.churnProbability!, 0);
    expect(Math.abs(churners.length - expected)).toBeLessThan(4 * Math.sqrt(expected));
  });
});

describe("observedFromFeatures", () => {
  it("maps feature names that exist in FEATURE_DEFINITIONS back to the observed summary", () => {
    const names = new Set(FEATURE_DEFINITIONS.map((f) => f.name));
    for (const name of Object.values(OBSERVED_FEATURE_NAMES)) expect(names.has(name)).toBe(true);
    const features: Record<string, number> = {
      card_product_views_7d: 2,
      loan_product_views_7d: 0,
      mortgage_product_views_30d: 4,
      savings_product_views_30d: 1,
      logins_7d: 2,
      logins_30d: 9,
      app_logins_30d: 5,
      transactions_7d: 3,
      transactions_30d: 12,
      email_opens_30d: 4,
      service_calls_30d: 1,
      complaints_30d: 1,
      offer_impressions_7d: 3,
      tenure_months: 27,
      products_held: 3,
      holds_credit_card: 1,
      holds_personal_loan: 0,
      holds_mortgage: 1,
      holds_savings_account: 0,
    };
    expect(observedFromFeatures(features)).toEqual({
      cardProductViews7d: 2,
      loanProductViews7d: 0,
      mortgageProductViews30d: 4,
      savingsProductViews30d: 1,
      logins7d: 2,
      logins30d: 9,
      appLogins30d: 5,
      transactions7d: 3,
      transactions30d: 12,
      emailOpens30d: 4,
      serviceCalls30d: 1,
      complaints30d: 1,
      offerImpressions7d: 3,
      tenureMonths: 27,
      productsHeld: ["current_account", "credit_card", "mortgage"],
    });
  });
});
