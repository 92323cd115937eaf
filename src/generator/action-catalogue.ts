/**
 * The bank's actions (offers and treatments) as data. Arbitration policies, bandits and the generator
 * all key on these ids, so ids are stable snake_case and only ever appended to.
 */
import type { BusinessUnit, Product } from "../features/vocabulary.js";

export type ActionKind = "offer" | "service" | "retention";

export interface Action {
  readonly id: string;
  readonly businessUnit: BusinessUnit;
  readonly name: string;
  /** Expected revenue in EUR if the customer accepts. */
  readonly value: number;
  readonly kind: ActionKind;
  /** The customer must hold this product (e.g. a limit increase needs a card). */
  readonly requires?: Product;
  /** The customer must not hold this product (e.g. a first-home mortgage). */
  readonly excludes?: Product;
}

export const ACTION_CATALOGUE = [
  { id: "card_cashback", businessUnit: "cards", name: "Cashback credit card", value: 120, kind: "offer" },
  { id: "card_travel", businessUnit: "cards", name: "Travel rewards card", value: 180, kind: "offer" },
  {
    id: "card_limit_increase",
    businessUnit: "cards",
    name: "Credit limit increase",
    value: 90,
    kind: "offer",
    requires: "credit_card",
  },
  {
    id: "card_balance_transfer",
    businessUnit: "cards",
    name: "0% balance transfer",
    value: 150,
    kind: "offer",
  },
  { id: "loan_personal", businessUnit: "loans", name: "Personal loan", value: 400, kind: "offer" },
  { id: "loan_car", businessUnit: "loans", name: "Car loan", value: 550, kind: "offer" },
  {
    id: "loan_debt_consolidation",
    businessUnit: "loans",
    name: "Debt consolidation loan",
    value: 450,
    kind: "offer",
  },
  {
    id: "loan_top_up",
    businessUnit: "loans",
    name: "Loan top-up",
    value: 250,
    kind: "offer",
    requires: "personal_loan",
  },
  {
    id: "mortgage_first_home",
    businessUnit: "mortgages",
    name: "First-home mortgage",
    value: 900,
    kind: "offer",
    excludes: "mortgage",
  },
  {
    id: "mortgage_remortgage",
    businessUnit: "mortgages",
    name: "Remortgage at a better rate",
    value: 750,
    kind: "offer",
    requires: "mortgage",
  },
  {
    id: "mortgage_home_improvement",
    businessUnit: "mortgages",
    name: "Home improvement loan",
    value: 500,
    kind: "offer",
    requires: "mortgage",
  },
  {
    id: "mortgage_rate_lock",
    businessUnit: "mortgages",
    name: "Mortgage rate lock review",
    value: 200,
    kind: "service",
    requires: "mortgage",
  },
  {
    id: "savings_easy_access",
    businessUnit: "savings",
    name: "Easy-access savings",
    value: 60,
    kind: "offer",
  },
  {
    id: "savings_fixed_term",
    businessUnit: "savings",
    name: "Fixed-term deposit",
    value: 120,
    kind: "offer",
  },
  { id: "savings_round_up", businessUnit: "savings", name: "Round-up savings", value: 40, kind: "service" },
  { id: "savings_pension_plan", businessUnit: "savings", name: "Pension plan", value: 350, kind: "offer" },
  {
    id: "retention_fee_waiver",
    businessUnit: "retention",
    name: "Account fee waiver",
    value: 150,
    kind: "retention",
  },
  {
    id: "retention_loyalty_bonus",
    businessUnit: "retention",
    name: "Loyalty bonus",
    value: 200,
    kind: "retention",
  },
  { id: "service_callback", businessUnit: "retention", name: "Advisor callback", value: 80, kind: "service" },
  { id: "service_app_tutorial", businessUnit: "retention", name: "App tutorial", value: 40, kind: "service" },
] as const satisfies readonly Action[];

export type ActionId = (typeof ACTION_CATALOGUE)[number]["id"];

export const ACTION_IDS: readonly ActionId[] = ACTION_CATALOGUE.map((a) => a.id);

const BY_ID: ReadonlyMap<string, Action> = new Map(ACTION_CATALOGUE.map((a) => [a.id, a]));

/** Position of each action in `ACTION_CATALOGUE`, for bitmasks and typed arrays. */
export const ACTION_INDEX: Readonly<Record<ActionId, number>> = Object.fromEntries(
  ACTION_CATALOGUE.map((a, i) => [a.id, i]),
) as Record<ActionId, number>;

export function isActionId(id: string): id is ActionId {
  return BY_ID.has(id);
}

export function getAction(id: ActionId): Action {
  return BY_ID.get(id)!;
}

/** Whether the action makes sense for someone holding `productsHeld` (it is never shown otherwise). */
export function isEligible(action: Action, productsHeld: readonly Product[]): boolean {
  if (action.requires !== undefined && !productsHeld.includes(action.requires)) return false;
  if (action.excludes !== undefined && productsHeld.includes(action.excludes)) return false;
  return true;
}
