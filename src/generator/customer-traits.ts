/**
 * Latent customer traits and the observable profile drawn from them. Profiles are derived from traits
 * (never the other way round) so segment, age and holdings carry real, learnable signal about them.
 */
import type { CustomerProfile } from "../features/profile-schema.js";
import type { Product, Segment } from "../features/vocabulary.js";
import type { Random } from "../random/seeded-random.js";
import { bernoulli, clamp, pickWeighted, sigmoid, uniform } from "./sampling.js";

export const LIFE_STAGES = ["student", "young_professional", "family", "established", "retired"] as const;
export type LifeStage = (typeof LIFE_STAGES)[number];

/** Business units a customer can be interested in (retention is something done to them, not shopped for). */
export const PRODUCT_UNITS = ["cards", "loans", "mortgages", "savings"] as const;
export type ProductUnit = (typeof PRODUCT_UNITS)[number];

/** Static traits, drawn once per customer. */
export interface CustomerTraits {
  readonly lifeStage: LifeStage;
  /** 0..1; drives response to cashback, fee waivers and rates. */
  readonly priceSensitivity: number;
  /** 0..1; share of contact through app/web, email opens, taste for digital services. */
  readonly digitalAffinity: number;
  /** 0..1; the level satisfaction starts at and recovers towards. */
  readonly baselineSatisfaction: number;
  /** Activity multiplier, log-normal with median ~0.7: a few very active customers, many light ones. */
  readonly activity: number;
  /** Income/wealth multiplier, log-normal with median ~1; scales transaction amounts. */
  readonly wealth: number;
  /** 0..1 latent interest per business unit; product views and acceptances reveal it only partly. */
  readonly interests: Readonly<Record<ProductUnit, number>>;
  /** Additive churn log-odds that no behaviour explains. */
  readonly churnProneness: number;
  /** Daily log-change of engagement; strongly negative for customers drifting away. */
  readonly engagementDrift: number;
}

/** Time-varying latent state. */
export interface LatentState {
  /** 0..1; drops after service problems and complaints, recovers towards the baseline. */
  satisfaction: number;
  /** Activity multiplier relative to the start of the window (1 = unchanged). */
  engagement: number;
}

/** What the ground-truth functions take: traits plus the latent state at the moment of the decision. */
export type LatentCustomer = CustomerTraits & LatentState;

const LIFE_STAGE_WEIGHTS = [0.12, 0.25, 0.28, 0.22, 0.13];
const AGE_RANGE: Record<LifeStage, readonly [number, number]> = {
  student: [18, 26],
  young_professional: [24, 36],
  family: [30, 52],
  established: [45, 66],
  retired: [63, 91],
};
const LOG_WEALTH_MEAN: Record<LifeStage, number> = {
  student: -0.7,
  young_professional: 0,
  family: 0.15,
  established: 0.45,
  retired: 0.2,
};
const INTEREST_OFFSET: Record<LifeStage, Record<ProductUnit, number>> = {
  student: { cards: 0.3, loans: -0.3, mortgages: -1.5, savings: -0.4 },
  young_professional: { cards: 0.4, loans: 0.4, mortgages: 0.6, savings: 0.1 },
  family: { cards: 0.2, loans: 0.5, mortgages: 0.5, savings: 0 },
  established: { cards: 0, loans: -0.2, mortgages: -0.4, savings: 0.5 },
  retired: { cards: -0.5, loans: -0.9, mortgages: -1.5, savings: 0.6 },
};
const DIGITAL_OFFSET: Record<LifeStage, number> = {
  student: 1.2,
  young_professional: 0.9,
  family: 0.3,
  established: -0.3,
  retired: -1.2,
};
const PRICE_OFFSET: Record<LifeStage, number> = {
  student: 0.9,
  young_professional: 0.1,
  family: 0.4,
  established: -0.4,
  retired: 0,
};

/**
 * Six decimals is far below any effect in the model, and what the simulation uses is then exactly what
 * customers.jsonl holds, so the ground-truth functions reproduce the written probabilities.
 */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export function drawTraits(rng: Random): CustomerTraits {
  const lifeStage = LIFE_STAGES[pickWeighted(rng, LIFE_STAGE_WEIGHTS)]!;
  const baselineSatisfaction = clamp(sigmoid(1.0 + 0.8 * rng.normal()), 0.05, 0.98);
  // Unhappy customers are likelier to be the ones quietly drifting away.
  const disengaging = bernoulli(rng, 0.05 + 0.25 * (1 - baselineSatisfaction));
  const drift = -0.001 + 0.003 * rng.normal() - (disengaging ? 0.015 + 0.015 * Math.abs(rng.normal()) : 0);
  const interests = {} as Record<ProductUnit, number>;
  for (const unit of PRODUCT_UNITS)
    interests[unit] = round6(sigmoid(INTEREST_OFFSET[lifeStage][unit] + 0.9 * rng.normal()));
  return {
    lifeStage,
    priceSensitivity: round6(sigmoid(PRICE_OFFSET[lifeStage] + 0.9 * rng.normal())),
    digitalAffinity: round6(sigmoid(DIGITAL_OFFSET[lifeStage] + 0.9 * rng.normal())),
    baselineSatisfaction: round6(baselineSatisfaction),
    activity: round6(Math.exp(-0.35 + 0.9 * rng.normal())),
    wealth: round6(Math.exp(LOG_WEALTH_MEAN[lifeStage] + 0.65 * rng.normal())),
    interests,
    churnProneness: round6(0.15 * rng.normal()),
    engagementDrift: round6(drift),
  };
}

const MORTGAGE_OFFSET: Record<LifeStage, number> = {
  student: -4,
  young_professional: -1.5,
  family: 0.3,
  established: 0.2,
  retired: -1.2,
};
const LOAN_OFFSET: Record<LifeStage, number> = {
  student: -0.5,
  young_professional: 0.3,
  family: 0.5,
  established: 0,
  retired: -0.8,
};
const MEAN_TENURE_MONTHS: Record<LifeStage, number> = {
  student: 24,
  young_professional: 48,
  family: 96,
  established: 150,
  retired: 220,
};

/** The CRM profile at the start of the window. It is static: acceptances are not written back into it. */
export function drawProfile(rng: Random, traits: CustomerTraits): CustomerProfile {
  const { lifeStage, wealth, interests } = traits;
  const [minAge, maxAge] = AGE_RANGE[lifeStage];
  const age = Math.floor(uniform(rng, minAge, maxAge));
  const tenureMonths = Math.min(
    (age - 16) * 12,
    Math.floor(-Math.log(1 - rng.next()) * MEAN_TENURE_MONTHS[lifeStage]),
  );
  const logWealth = Math.log(wealth);

  let segment: Segment = "mass";
  if (lifeStage === "student") segment = bernoulli(rng, 0.85) ? "student" : "mass";
  else if (logWealth > 1.6) segment = "private";
  else if (logWealth > 0.75) segment = "affluent";
  else if (lifeStage !== "retired" && bernoulli(rng, 0.08)) segment = "small_business";

  const student = lifeStage === "student" ? 1 : 0;
  const odds: Record<Product, number> = {
    current_account: 3.5,
    credit_card: -0.3 + 0.8 * logWealth + 2.4 * (interests.cards - 0.5) - 0.8 * student,
    personal_loan: -1.8 + 2.4 * (interests.loans - 0.5) + LOAN_OFFSET[lifeStage],
    mortgage: MORTGAGE_OFFSET[lifeStage] + 0.4 * logWealth,
    savings_account:
      -0.6 +
      0.9 * logWealth +
      2 * (interests.savings - 0.5) +
      (lifeStage === "retired" ? 0.6 : 0) +
      (lifeStage === "established" ? 0.4 : 0),
  };
  const productsHeld = (Object.keys(odds) as Product[]).filter((p) => bernoulli(rng, sigmoid(odds[p])));
  return { tenureMonths, age, segment, productsHeld };
}
