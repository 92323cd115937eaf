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
  /** × (ln(1 + app logins in 30 days) − 1) (observed digital engagement). */
  readonly appLogins?: number;
  /** × (ln(1 + transactions in 30 days) − 1.5). */
  readonly transactions?: number;
  /** × (ln(1 + marketing emails opened in 30 days) − 0.5). */
  readonly emailOpens?: number;
  /** × activityDrop (0..2.5, falling logins and transactions; see ground-truth.ts). */
  readonly activityDrop?: number;
  /** Added when the customer holds the product. */
  readonly holds?: Partial<Record<Product, number>>;
  /** Added on top of CHANNEL_EFFECT on these channels: where this action lands well or badly. */
  readonly channels?: Partial<Record<Channel, number>>;
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

/**
 * Latent traits (price, digital, wealth, interest, satisfaction) carry small weights; observed
 * behaviour (product views, holdings, activity, complaints, channel) carries most of the signal.
 */
export const ACCEPTANCE_COEFFICIENTS: Readonly<Record<ActionId, ActionResponse>> = {
  card_cashback: {
    intercept: -2.7,
    price: 0.4,
    lifeStage: { student: 0.3, young_professional: 0.2, retired: -0.3 },
    interest: 0.3,
    views: 1.2,
    transactions: 0.3,
    holds: { credit_card: -0.8 },
    channels: { app: 0.2 },
  },
  card_travel: {
    intercept: -3.2,
    price: -0.4,
    wealth: 0.35,
    lifeStage: { young_professional: 0.2, established: 0.3, student: -0.4 },
    interest: 0.3,
    views: 1.1,
    transactions: 0.2,
    holds: { credit_card: -0.3 },
    channels: { branch: 0.3 },
  },
  card_limit_increase: {
    intercept: -2.6,
    wealth: 0.15,
    lifeStage: { young_professional: 0.2, family: 0.2, retired: -0.4 },
    interest: 0.25,
    views: 1.2,
    transactions: 0.8,
    channels: { app: 0.3 },
  },
  card_balance_transfer: {
    intercept: -3.0,
    price: 0.5,
    lifeStage: { family: 0.2 },
    interest: 0.2,
    views: 1.1,
    holds: { credit_card: 0.5, personal_loan: 0.5 },
    channels: { email: 0.3 },
  },
  loan_personal: {
    intercept: -3.6,
    price: 0.15,
    lifeStage: { young_professional: 0.3, family: 0.2, retired: -0.6 },
    interest: 0.35,
    views: 1.4,
    holds: { personal_loan: -1.0 },
    channels: { branch: 0.3 },
  },
  loan_car: {
    intercept: -4.0,
    wealth: 0.15,
    lifeStage: { family: 0.5, young_professional: 0.4, student: -0.5, retired: -0.3 },
    interest: 0.3,
    views: 1.3,
    tenure: 0.2,
  },
  loan_debt_consolidation: {
    intercept: -3.9,
    price: 0.5,
    wealth: -0.25,
    interest: 0.25,
    views: 1.2,
    holds: { credit_card: 0.6, personal_loan: 0.7 },
    channels: { call_centre: 0.3 },
  },
  loan_top_up: { intercept: -2.9, satisfaction: 0.2, interest: 0.3, views: 1.1, tenure: 0.3 },
  mortgage_first_home: {
    intercept: -4.4,
    wealth: 0.2,
    lifeStage: { young_professional: 1.0, family: 0.6, student: -0.8, established: -0.4, retired: -1.6 },
    interest: 0.4,
    views: 1.6,
    channels: { branch: 0.5, email: -0.3 },
  },
  mortgage_remortgage: {
    intercept: -3.3,
    price: 0.4,
    satisfaction: -0.25,
    interest: 0.3,
    views: 1.4,
    complaints: 0.2,
  },
  mortgage_home_improvement: {
    intercept: -4.0,
    wealth: 0.15,
    lifeStage: { family: 0.4, established: 0.5 },
    interest: 0.3,
    views: 1.3,
    tenure: 0.3,
    channels: { branch: 0.4 },
  },
  mortgage_rate_lock: {
    intercept: -2.5,
    price: 0.4,
    lifeStage: { retired: -0.3 },
    interest: 0.2,
    views: 1.3,
    tenure: 0.3,
    channels: { call_centre: 0.6, email: 0.3 },
  },
  savings_easy_access: {
    intercept: -2.3,
    price: 0.25,
    wealth: 0.2,
    lifeStage: { student: -0.2, retired: 0.3 },
    interest: 0.3,
    views: 1.0,
    emailOpens: 0.25,
    holds: { savings_account: -0.8 },
  },
  savings_fixed_term: {
    intercept: -3.1,
    price: 0.15,
    wealth: 0.45,
    lifeStage: { established: 0.5, retired: 0.6, student: -0.7 },
    interest: 0.3,
    views: 1.1,
    tenure: 0.3,
    channels: { branch: 0.3 },
  },
  savings_round_up: {
    intercept: -2.5,
    digital: 0.4,
    appLogins: 0.6,
    lifeStage: { student: 0.5, young_professional: 0.4, retired: -0.6 },
    interest: 0.2,
    views: 0.6,
    channels: { app: 0.5, branch: -0.4 },
  },
  savings_pension_plan: {
    intercept: -3.9,
    wealth: 0.3,
    lifeStage: { established: 0.7, young_professional: 0.2, family: 0.3, student: -1.0, retired: -1.3 },
    interest: 0.25,
    views: 1.1,
    tenure: 0.2,
  },
  retention_fee_waiver: {
    intercept: -2.8,
    price: 0.4,
    satisfaction: -0.5,
    complaints: 0.8,
    serviceCalls: 0.2,
    activityDrop: 0.5,
    channels: { call_centre: 0.5 },
  },
  retention_loyalty_bonus: {
    intercept: -3.1,
    price: 0.1,
    satisfaction: -0.4,
    complaints: 0.5,
    activityDrop: 0.6,
    tenure: 0.6,
    channels: { call_centre: 0.4 },
  },
  service_callback: {
    intercept: -2.5,
    digital: -0.2,
    satisfaction: -0.35,
    complaints: 0.9,
    serviceCalls: 0.4,
    appLogins: -0.3,
    channels: { call_centre: 0.6, app: -0.3 },
  },
  service_app_tutorial: {
    intercept: -2.3,
    digital: -0.3,
    logins: -0.5,
    appLogins: -0.5,
    lifeStage: { retired: 0.4 },
    channels: { app: 0.6 },
  },
};
