/**
 * The shape of an arbitration policy document, as zod schemas with the defaults that keep a minimal
 * policy short. Structure only: references between fields (business units, journeys, action ids) are
 * checked in policy-checks.ts, and eligibility rules in rule-checks.ts (wired in through `ruleSchema`).
 */
import { z } from "zod";
import { CHANNELS } from "../features/vocabulary.js";
import { checkRule, type Rule } from "./rule-checks.js";

const SLUG = /^[a-z][a-z0-9_]*$/;
/** Longest id of an action (or other slug): bandit snapshots and joined rewards carry action ids. */
export const MAX_ID_LENGTH = 200;
export const slugSchema = z
  .string()
  .regex(SLUG, "must be lower_snake_case (a letter, then letters, digits or _)")
  // Ids travel in bandit snapshots, whose readers refuse longer ones (bandit-snapshot.ts).
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`);

export const channelSchema = z.enum(CHANNELS, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a channel (expected one of: ${CHANNELS.join(", ")})`,
});

/** A json-logic rule; every problem in it is reported at its own path inside the rule. */
export const ruleSchema = z
  .custom<Rule>((v) => v !== undefined, "is required (a json-logic rule, or true)")
  .superRefine((rule, ctx) => {
    for (const problem of checkRule(rule))
      ctx.addIssue({ code: "custom", message: problem.reason, path: [...problem.path] });
  });

/**
 * Bounds on durations and multipliers: far beyond any real policy, yet small enough that every date a
 * decision derives from them (reward deadline, contact expiry) and every priority stays finite.
 */
const MAX_DAYS = 366;
const hours = z
  .number()
  .min(0, "must be 0 or more")
  .max(MAX_DAYS * 24, `must be at most ${MAX_DAYS * 24} hours`);
const days = z.number().min(0, "must be 0 or more").max(MAX_DAYS, `must be at most ${MAX_DAYS} days`);
const multiplier = (negative: string) => z.number().min(0, negative).max(1_000, "must be at most 1,000");

/** "At most `max` impressions in any `days`-day window". */
export const frequencyCapSchema = z.strictObject({
  max: z
    .number()
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .max(10_000, "must be at most 10,000"),
  days: z.number().positive("must be more than 0 days").max(MAX_DAYS, `must be at most ${MAX_DAYS} days`),
});

const businessUnitObject = z.strictObject({
  weight: multiplier("must be 0 or more (0 switches the business unit off)"),
  /**
   * In every decision, the highest probability that the first action is one of this unit's, put
   * there by exploration (not a share of the unit's impressions: docs/policies.md, Exploration limits).
   */
  maxExplorationShare: z
    .number()
    .min(0, "must be a share between 0 and 1")
    .max(1, "must be a share between 0 and 1")
    .optional(),
  /** Impression caps per customer for this business unit. */
  caps: z.array(frequencyCapSchema).default([]),
});

/** `cards: 1.2` is shorthand for `cards: { weight: 1.2 }`. */
export const businessUnitSchema = z.preprocess(
  (v) => (typeof v === "number" ? { weight: v } : v),
  businessUnitObject,
);

export const placementSchema = z.strictObject({
  journey: z.string(),
  /** Steps of the journey where the action may appear; omitted means every step. */
  steps: z.array(z.string()).min(1, "must list at least one step, or be left out for every step").optional(),
});

export const actionSchema = z.strictObject({
  id: slugSchema,
  businessUnit: z.string(),
  name: z.string().min(1, "must not be empty"),
  description: z.string().optional(),
  /** Expected revenue in EUR if the customer accepts. */
  value: z.number().min(0, "must be 0 EUR or more").max(1e9, "must be at most 1,000,000,000 EUR"),
  /** Multiplier on the priority, for product owners to push or hold back an action. */
  lever: multiplier("must be 0 or more").default(1),
  /** false keeps the action in the file but never offers it. */
  enabled: z.boolean().default(true),
  channels: z
    .array(channelSchema)
    .min(1, "must list at least one channel")
    .default([...CHANNELS]),
  placements: z.array(placementSchema).min(1, "must list at least one journey the action may appear in"),
  eligibility: ruleSchema.default(true),
  /** Hours the action is not shown again after an impression; defaults to contactPolicy.defaults. */
  cooldownHours: hours.optional(),
  /** Days the action is not shown again after the customer rejects it; defaults to contactPolicy.defaults. */
  suppressionDays: days.optional(),
  exploration: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Highest probability with which exploration may pick this action in one decision. */
      maxProbability: z
        .number()
        .min(0, "must be a probability between 0 and 1")
        .max(1, "must be a probability between 0 and 1")
        .default(1),
    })
    .prefault({}),
});

export const contactPolicySchema = z
  .strictObject({
    /** Caps across every business unit, e.g. `[{max: 3, days: 7}]`. */
    perCustomer: z.array(frequencyCapSchema).default([]),
    /** Channel name -> caps on that channel (names checked in policy-checks.ts). */
    perChannel: z.record(z.string(), z.array(frequencyCapSchema)).default({}),
    defaults: z
      .strictObject({
        cooldownHours: hours.default(24),
        suppressionDays: days.default(30),
      })
      .prefault({}),
    /**
     * When the customer's contact history cannot be read (the store is down or slow): `withhold`
     * serves nothing, since no cap, cool-down or suppression can be checked; `serve` answers as if the
     * history were empty, and may exceed them.
     */
    whenHistoryUnavailable: z.enum(["withhold", "serve"]).default("withhold"),
  })
  .prefault({});

export const contextWeightSchema = z.strictObject({
  description: z.string().optional(),
  when: ruleSchema,
  weight: multiplier("must be 0 or more"),
  /** Applies only to this business unit's actions (at most one of businessUnit and actionId). */
  businessUnit: z.string().optional(),
  actionId: z.string().optional(),
});

export const BANDIT_ALGORITHMS = ["thompson", "linucb", "epsilon_greedy", "softmax"] as const;
export type BanditAlgorithm = (typeof BANDIT_ALGORITHMS)[number];

const positive = (fallback: number) =>
  z.number().positive("must be more than 0").max(1e6, "must be at most 1,000,000").default(fallback);

export const banditSchema = z
  .strictObject({
    algorithm: z
      .enum(BANDIT_ALGORITHMS, {
        error: (i) =>
          `${JSON.stringify(i.input)} is not a bandit algorithm (expected one of: ${BANDIT_ALGORITHMS.join(", ")})`,
      })
      .default("thompson"),
    /**
     * The per-action model of P(accept) the algorithm explores around: `linear` (ridge regression of
     * the 0/1 outcome) or `logistic` (logistic regression with a Laplace posterior; the algorithm
     * block's `ridge` is then its prior precision on the log-odds coefficients). Omitted = linear;
     * optional without a default so that policies written before it keep their version.
     */
    model: z
      .enum(["linear", "logistic"], {
        error: (i) => `${JSON.stringify(i.input)} is not a bandit model (expected linear or logistic)`,
      })
      .optional(),
    /** Only the block named by `algorithm` is used; the others keep their defaults. */
    thompson: z
      .strictObject({
        posteriorScale: positive(0.5),
        ridge: positive(1),
        /**
         * Posterior draws per decision: the logged P(first) is a count out of this many (exact for the
         * policy run; finer with more draws), and the bandit's CPU grows with it. Omitted = 256;
         * optional without a default so that policies written before it keep their version.
         */
        draws: z
          .number()
          .int("must be a whole number of draws")
          .min(16, "must be at least 16 (P(first) is logged in steps of 1/draws)")
          .max(4096, "must be at most 4096 (the normal table's rows)")
          .optional(),
      })
      .prefault({}),
    linucb: z
      .strictObject({
        alpha: positive(1),
        ridge: positive(1),
        /**
         * Epsilon floor: with this probability the first action is uniform over the candidates, so
         * every candidate has P(first) >= epsilon/k, exactly logged. Omitted = 0 (deterministic
         * LinUCB); optional without a default so that policies written before it keep their version.
         */
        epsilon: z
          .number()
          .min(0, "must be a probability between 0 and 1")
          .max(1, "must be a probability between 0 and 1")
          .optional(),
      })
      .prefault({}),
    epsilon_greedy: z
      .strictObject({
        epsilon: z
          .number()
          .min(0, "must be a probability between 0 and 1")
          .max(1, "must be a probability between 0 and 1")
          .default(0.05),
      })
      .prefault({}),
    softmax: z.strictObject({ temperature: positive(0.1) }).prefault({}),
    /** Hours a decision waits for its reward before `defaultReward` is assumed. */
    rewardWindowHours: z
      .number()
      .positive("must be more than 0")
      .max(MAX_DAYS * 24, `must be at most ${MAX_DAYS * 24} hours (${MAX_DAYS} days)`)
      .default(72),
    defaultReward: z
      .number()
      .min(-1e6, "must be at least -1,000,000")
      .max(1e6, "must be at most 1,000,000")
      .default(0),
    /** Seed of exploration's random source (with each decision id); omitted: DECISION_SEED. */
    seed: z.number().int("must be a whole number").optional(),
  })
  .prefault({});

export const topKSchema = z
  .strictObject({
    /** Actions returned when the request sets no limit. */
    defaultLimit: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(100, "must be at most 100")
      .default(1),
    /** Diversity: at most this many actions of one business unit in one response. */
    maxPerBusinessUnit: z.number().int("must be a whole number").min(1, "must be at least 1").optional(),
  })
  .prefault({});

export const policySchema = z.strictObject({
  name: slugSchema,
  description: z.string().default(""),
  businessUnits: z
    .record(slugSchema, businessUnitSchema)
    .refine((r) => Object.keys(r).length > 0, "must define at least one business unit"),
  /** Journey name -> its steps, in order. */
  journeys: z
    .record(slugSchema, z.array(slugSchema).min(1, "must list at least one step"))
    .refine((r) => Object.keys(r).length > 0, "must define at least one journey"),
  actions: z
    .array(actionSchema)
    .min(1, "must list at least one action")
    .max(500, "must list at most 500 actions"),
  contactPolicy: contactPolicySchema,
  contextWeights: z.array(contextWeightSchema).default([]),
  bandit: banditSchema,
  topK: topKSchema,
});

/** A validated policy document, defaults filled in. This is what is hashed, stored and served. */
export type PolicyDocument = z.output<typeof policySchema>;
/** What an author may write (every defaulted field optional). */
export type PolicyInput = z.input<typeof policySchema>;
export type ActionDocument = PolicyDocument["actions"][number];
export type BusinessUnitDocument = PolicyDocument["businessUnits"][string];
export type FrequencyCap = z.output<typeof frequencyCapSchema>;
export type ContextWeightDocument = PolicyDocument["contextWeights"][number];
