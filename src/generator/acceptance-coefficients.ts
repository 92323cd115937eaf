/**
 * Coefficients of the true acceptance model, one row per action. Rows differ on purpose: each action
 * suits a different kind of customer, so a personalised policy can beat any static ranking.
 * Terms are roughly centred so `intercept` is the log-odds for a typical customer on the web who has
 * viewed no products and seen no other offers lately.
 */
import type { Channel, Product } from "../features/vocabulary.js";
import type { ActionId } from "./action-catalogue.js";
import type { LifeStage } from "./customer-traits.js";

export interface ActionResponse {
  /** Log-odds of acceptance for an average customer; sigmoid(intercept) is in 1..15%. */
  readonly intercept: number;
  /** × (2·priceSensitivity − 1). */
  readonly price?: number;
  /** × (2·digitalAffinity − 1). */
  readonly digital?: number;
  /** × ln(wealth). */
  readonly wealth?: number;
  readonly lifeStage?: Partial<Record<LifeStage, number>>;
  /** × (2·interest − 1) in the action's business unit (latent). */
  readonly interest?: number;
  /** × ln(1 + product views in the action's business unit over its feature window) (observed). */
  readonly views?: number;
  /** × (2·satisfaction − 1.2); negative for retention actions, which appeal to the unhappy. */
  readonly satisfaction?: number;
  /** × min(complaints in 30 days, 3). */
  readonly complaints?: number;
  /** × min(service calls in 30 days, 5). */
  readonly serviceCalls?: number;
  /** × (ln(1 + logins in 30 days) − 1). */
  readonly logins?: number;
  /** × (ln(1 + tenure in years) − 2). */
  readonly tenure?: number;
  /** Added when the customer holds the product. */
  readonly holds?: Partial<Record<Product, number>>;
}

/** Added to every action's log-odds by channel: people say yes to people more than to banners. */
export const CHANNEL_EFFECT: Readonly<Record<Channel, number>> = {
  web: 0,
  app: 0.1,
  email: -0.6,
  call_centre: 0.5,
  branch: 0.7,
};

/** Log-odds lost per offer already shown in the last 7 days (capped at 10). */
export const FATIGUE_PER_IMPRESSION = -0.15;

export const ACCEPTANCE_COEFFICIENTS: Readonly<Record<ActionId, ActionResponse>> = {
  card_cashback: {
    intercept: -2.6,
    price: 1.0,
    lifeStage: { student: 0.4, young_professional: 0.3, retired: -0.4 },
    interest: 0.8,
    views: 0.6,
    holds: { credit_card: -0.8 },
  },
  card_travel: {
    intercept: -3.2,
    price: -1.0,
    wealth: 0.7,
    lifeStage: { young_professional: 0.3, established: 0.4, student: -0.5 },
    interest: 0.7,
    views: 0.5,
    holds: { credit_card: -0.3 },
  },
  card_limit_increase: {
    intercept: -2.3,
    price: -0.2,
    wealth: 0.3,
    lifeStage: { young_professional: 0.3, family: 0.3, retired: -0.5 },
    interest: 0.6,
    views: 0.5,
  },
  card_balance_transfer: {
    intercept: -3.0,
    price: 1.2,
    lifeStage: { family: 0.3 },
    interest: 0.5,
    views: 0.6,
    holds: { credit_card: 0.5, personal_loan: 0.4 },
  },
  loan_personal: {
    intercept: -3.6,
    price: 0.3,
    lifeStage: { young_professional: 0.4, family: 0.3, retired: -0.8 },
    interest: 0.9,
    views: 0.8,
    holds: { personal_loan: -1.0 },
  },
  loan_car: {
    intercept: -4.0,
    wealth: 0.3,
    lifeStage: { family: 0.6, young_professional: 0.5, student: -0.6, retired: -0.4 },
    interest: 0.8,
    views: 0.7,
  },
  loan_debt_consolidation: {
    intercept: -3.8,
    price: 1.2,
    wealth: -0.5,
    interest: 0.6,
    views: 0.7,
    holds: { credit_card: 0.5, personal_loan: 0.6 },
  },
  loan_top_up: { intercept: -2.8, satisfaction: 0.5, interest: 0.7, views: 0.6 },
  mortgage_first_home: {
    intercept: -4.5,
    wealth: 0.4,
    lifeStage: { young_professional: 1.2, family: 0.8, student: -1.0, established: -0.5, retired: -2.0 },
    interest: 1.0,
    views: 1.0,
  },
  mortgage_remortgage: { intercept: -3.3, price: 1.0, satisfaction: -0.6, interest: 0.8, views: 0.9 },
  mortgage_home_improvement: {
    intercept: -4.0,
    wealth: 0.3,
    lifeStage: { family: 0.5, established: 0.6 },
    interest: 0.7,
    views: 0.8,
  },
  mortgage_rate_lock: {
    intercept: -2.6,
    price: 0.8,
    lifeStage: { retired: -0.3 },
    interest: 0.5,
    views: 0.5,
  },
  savings_easy_access: {
    intercept: -2.2,
    price: 0.6,
    wealth: 0.4,
    lifeStage: { student: -0.3, retired: 0.4 },
    interest: 0.7,
    views: 0.5,
    holds: { savings_account: -0.8 },
  },
  savings_fixed_term: {
    intercept: -3.1,
    price: 0.4,
    wealth: 0.9,
    lifeStage: { established: 0.6, retired: 0.7, student: -0.8 },
    interest: 0.7,
    views: 0.6,
  },
  savings_round_up: {
    intercept: -2.4,
    digital: 1.2,
    lifeStage: { student: 0.6, young_professional: 0.5, retired: -0.8 },
    interest: 0.4,
    views: 0.3,
  },
  savings_pension_plan: {
    intercept: -3.9,
    wealth: 0.6,
    lifeStage: { established: 0.8, young_professional: 0.2, family: 0.3, student: -1.2, retired: -1.5 },
    interest: 0.6,
    views: 0.6,
  },
  retention_fee_waiver: { intercept: -2.6, price: 1.2, satisfaction: -1.5, complaints: 0.5 },
  retention_loyalty_bonus: { intercept: -3.0, price: 0.3, satisfaction: -1.2, complaints: 0.3, tenure: 0.5 },
  service_callback: {
    intercept: -2.4,
    digital: -0.6,
    satisfaction: -1.0,
    complaints: 0.7,
    serviceCalls: 0.3,
  },
  service_app_tutorial: { intercept: -2.3, digital: -1.0, logins: -0.3, lifeStage: { retired: 0.5 } },
};
