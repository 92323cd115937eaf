/**
 * The true response and churn models behind the synthetic data, as pure functions. The generator
 * draws outcomes from them, and simulators (bandits, off-policy evaluation) call them to know the
 * real optimum a learned policy should be measured against.
 */
import type { Channel, Product } from "../features/vocabulary.js";
import {
  ACCEPTANCE_COEFFICIENTS,
  CHANNEL_EFFECT,
  FATIGUE_PER_IMPRESSION,
} from "./acceptance-coefficients.js";
import { ACTION_CATALOGUE, type ActionId, getAction, isEligible } from "./action-catalogue.js";
import type { LatentCustomer, ProductUnit } from "./customer-traits.js";
import { sigmoid } from "./sampling.js";

/**
 * What the bank can see about recent behaviour at a decision time. Each field is one feature of
 * `FEATURE_DEFINITIONS` (same daily-bucket windows), so a feature vector converts losslessly.
 */
export interface ObservedBehaviour {
  readonly cardProductViews7d: number;
  readonly loanProductViews7d: number;
  readonly mortgageProductViews30d: number;
  readonly savingsProductViews30d: number;
  readonly logins7d: number;
  readonly logins30d: number;
  readonly appLogins30d: number;
  readonly transactions7d: number;
  readonly transactions30d: number;
  readonly emailOpens30d: number;
  readonly serviceCalls30d: number;
  readonly complaints30d: number;
  readonly offerImpressions7d: number;
  readonly tenureMonths: number;
  readonly productsHeld: readonly Product[];
}

export interface DecisionContext {
  /** Channel the action is shown on; web when absent. */
  readonly channel?: Channel;
}

/** Feature name (in `FEATURE_DEFINITIONS`) behind each numeric field of `ObservedBehaviour`. */
export const OBSERVED_FEATURE_NAMES = {
  cardProductViews7d: "card_product_views_7d",
  loanProductViews7d: "loan_product_views_7d",
  mortgageProductViews30d: "mortgage_product_views_30d",
  savingsProductViews30d: "savings_product_views_30d",
  logins7d: "logins_7d",
  logins30d: "logins_30d",
  appLogins30d: "app_logins_30d",
  transactions7d: "transactions_7d",
  transactions30d: "transactions_30d",
  emailOpens30d: "email_opens_30d",
  serviceCalls30d: "service_calls_30d",
  complaints30d: "complaints_30d",
  offerImpressions7d: "offer_impressions_7d",
  tenureMonths: "tenure_months",
} as const satisfies Record<Exclude<keyof ObservedBehaviour, "productsHeld">, string>;

const HOLDS_FEATURES: readonly Product[] = ["credit_card", "personal_loan", "mortgage", "savings_account"];

/** Rebuilds the observed summary from a feature vector keyed by feature name (missing features read as 0). */
export function observedFromFeatures(features: Readonly<Record<string, number>>): ObservedBehaviour {
  const get = (name: string): number => features[name] ?? 0;
  const productsHeld = HOLDS_FEATURES.filter((p) => get(`holds_${p}`) >= 1);
  // current_account has no holds_ feature; products_held counts it, so the difference reveals it.
  if (get("products_held") > productsHeld.length) productsHeld.unshift("current_account");
  const numeric = Object.fromEntries(
    Object.entries(OBSERVED_FEATURE_NAMES).map(([field, feature]) => [field, get(feature)]),
  ) as Record<keyof typeof OBSERVED_FEATURE_NAMES, number>;
  return { ...numeric, productsHeld };
}

export function unitViews(observed: ObservedBehaviour, unit: ProductUnit): number {
  switch (unit) {
    case "cards":
      return observed.cardProductViews7d;
    case "loans":
      return observed.loanProductViews7d;
    case "mortgages":
      return observed.mortgageProductViews30d;
    case "savings":
      return observed.savingsProductViews30d;
  }
}

const centred = (x: number): number => 2 * x - 1;

/**
 * Falling activity, 0..2.5: how far the last week's logins and transactions fall short of a quarter
 * of the month's, on a log scale. Steady customers sit near 0 (Poisson noise aside); a customer
 * drifting away scores high while still active enough to have a month to compare with.
 */
export function activityDrop(observed: ObservedBehaviour): number {
  const month = observed.logins30d + observed.transactions30d;
  const week = observed.logins7d + observed.transactions7d;
  const drop = Math.log1p(0.25 * month) - Math.log1p(week);
  return drop < 0 ? 0 : drop > 2.5 ? 2.5 : drop;
}

/** Log-odds that the customer accepts `actionId`; see docs/generator.md for the equation. */
export function acceptanceLogit(
  traits: LatentCustomer,
  observed: ObservedBehaviour,
  actionId: ActionId,
  context: DecisionContext = {},
): number {
  const c = ACCEPTANCE_COEFFICIENTS[actionId];
  const unit = getAction(actionId).businessUnit;
  const channel = context.channel ?? "web";
  let z = c.intercept + CHANNEL_EFFECT[channel] + (c.channels?.[channel] ?? 0);
  z += FATIGUE_PER_IMPRESSION * Math.min(observed.offerImpressions7d, 10);
  if (c.price) z += c.price * centred(traits.priceSensitivity);
  if (c.digital) z += c.digital * centred(traits.digitalAffinity);
  if (c.wealth) z += c.wealth * Math.log(traits.wealth);
  if (c.lifeStage) z += c.lifeStage[traits.lifeStage] ?? 0;
  if (unit !== "retention") {
    if (c.interest) z += c.interest * centred(traits.interests[unit]);
    if (c.views) z += c.views * Math.log1p(unitViews(observed, unit));
  }
  if (c.satisfaction) z += c.satisfaction * (2 * traits.satisfaction - 1.2);
  if (c.complaints) z += c.complaints * Math.min(observed.complaints30d, 3);
  if (c.serviceCalls) z += c.serviceCalls * Math.min(observed.serviceCalls30d, 5);
  if (c.logins) z += c.logins * (Math.log1p(observed.logins30d) - 1);
  if (c.tenure) z += c.tenure * (Math.log1p(observed.tenureMonths / 12) - 2);
  if (c.appLogins) z += c.appLogins * (Math.log1p(observed.appLogins30d) - 1);
  if (c.transactions) z += c.transactions * (Math.log1p(observed.transactions30d) - 1.5);
  if (c.emailOpens) z += c.emailOpens * (Math.log1p(observed.emailOpens30d) - 0.5);
  if (c.activityDrop) z += c.activityDrop * activityDrop(observed);
  if (c.holds) {
    for (const p of observed.productsHeld) z += c.holds[p] ?? 0;
  }
  return z;
}

/** True probability that the customer accepts `actionId` if it is shown now; always in (0, 1). */
export function acceptanceProbability(
  traits: LatentCustomer,
  observed: ObservedBehaviour,
  actionId: ActionId,
  context?: DecisionContext,
): number {
  return sigmoid(acceptanceLogit(traits, observed, actionId, context));
}

/** Expected revenue of showing the action: acceptance probability × the action's value. */
export function expectedValue(
  traits: LatentCustomer,
  observed: ObservedBehaviour,
  actionId: ActionId,
  context?: DecisionContext,
): number {
  return acceptanceProbability(traits, observed, actionId, context) * getAction(actionId).value;
}

export interface ActionScore {
  readonly actionId: ActionId;
  readonly probability: number;
  readonly expectedValue: number;
}

/** The best action by true expected value among `candidates` (default: every eligible action). */
export function optimalAction(
  traits: LatentCustomer,
  observed: ObservedBehaviour,
  context?: DecisionContext,
  candidates: readonly ActionId[] = ACTION_CATALOGUE.filter((a) => isEligible(a, observed.productsHeld)).map(
    (a) => a.id,
  ),
): ActionScore {
  let best: ActionScore | undefined;
  for (const actionId of candidates) {
    const probability = acceptanceProbability(traits, observed, actionId, context);
    const ev = probability * getAction(actionId).value;
    if (best === undefined || ev > best.expectedValue) best = { actionId, probability, expectedValue: ev };
  }
  if (best === undefined) throw new Error("optimalAction needs at least one candidate action");
  return best;
}

/** Days ahead the churn label looks: "churned in (T, T + 30 days]". */
export const CHURN_HORIZON_DAYS = 30;

/**
 * True daily churn hazard given the latent state and what is observable at the start of the day.
 * Behaviour carries almost all of it (complaints, service calls, falling and low activity, email
 * engagement, products, tenure); the latent terms are small, the part no feature can explain.
 */
export function churnHazard(traits: LatentCustomer, observed: ObservedBehaviour): number {
  const z =
    -5.1 +
    0.7 * Math.min(observed.complaints30d, 4) +
    0.3 * Math.min(observed.serviceCalls30d, 6) +
    1.2 * activityDrop(observed) -
    0.6 * Math.log1p(observed.logins30d + observed.transactions30d) -
    0.3 * Math.log1p(observed.emailOpens30d) -
    0.3 * (observed.productsHeld.length - 1) -
    0.25 * Math.log1p(observed.tenureMonths / 12) +
    // Latent: unexplained proneness, dissatisfaction and disengagement beyond what behaviour shows.
    traits.churnProneness +
    0.5 * (0.6 - traits.satisfaction) +
    0.2 * Math.max(0, -Math.log(traits.engagement)) +
    (traits.lifeStage === "student" ? 0.1 : 0);
  return sigmoid(z);
}

/**
 * True probability of churning within `horizonDays` when the hazard stays at its current value,
 * which is exactly how the generator runs the label window (the hazard is frozen at the label time).
 */
export function churnProbability(
  traits: LatentCustomer,
  observed: ObservedBehaviour,
  horizonDays: number = CHURN_HORIZON_DAYS,
): number {
  return 1 - (1 - churnHazard(traits, observed)) ** horizonDays;
}
