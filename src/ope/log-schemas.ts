/**
 * zod schemas for the rows of a decision log: the service's export (`npm run decisions:export`) and
 * the generic row (one logged decision from any system). Only the fields the evaluation reads are
 * checked; anything else on an export row is ignored.
 */
import { z } from "zod";
import { requiredField } from "../errors/describe-issues.js";

const id = z.union([z.string().min(1, "must not be empty"), z.number().finite()]).transform(String);
const probability = z.number().min(0, "must be in [0, 1]").max(1, "must be in [0, 1]");
const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const exportRowSchema = z.object({
  decisionId: z.string().min(1),
  journey: z.string(),
  step: z.string(),
  channel: z.string(),
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  excluded: z.array(z.object({ actionId: z.string(), stage: z.string() })).default([]),
  chosen: z.array(z.object({ actionId: z.string().min(1), rank: z.number().int().min(1) })),
  // Without it there is nothing to weight by (an export filtered by hand, or a record edited).
  candidateProbabilities: z.record(z.string(), probability, {
    error: (i) =>
      requiredField(i) &&
      "is required (the logging policy's P(first) of every candidate: what OPE weights by)",
  }),
  banditContext: z.array(z.number().finite()),
  priors: z.record(z.string(), z.number()).default({}),
  policyVersion: z.string().optional(),
  modelVersions: z.record(z.string(), z.string()).default({}),
  features: z.array(z.number().finite().nullable()).optional(),
  featurePlan: z.string().optional(),
  churn: z.number().finite().optional(),
  explanations: z
    .record(
      z.string(),
      z.object({
        priority: z.object({
          value: z.number(),
          businessUnitWeight: z.number(),
          lever: z.number(),
          contextWeight: z.number(),
        }),
      }),
    )
    .optional(),
  rewards: z.array(z.object({ actionId: z.string(), reward: z.number().finite() })).default([]),
});

export type ExportRow = z.output<typeof exportRowSchema>;

/** The generic row after its field aliases were resolved (see `GENERIC_ALIASES`). */
export const genericRowSchema = z.object({
  id: id.optional(),
  action: z
    .union([z.string().min(1, "must not be empty"), z.number().finite()], { error: requiredField })
    .transform(String),
  propensity: z
    .number({ error: (i) => requiredField(i) ?? "must be a number" })
    .gt(0, "must be more than 0 (the logged action had to be possible)")
    .max(1, "must be at most 1"),
  reward: z.union([z.number().finite(), z.boolean().transform((b) => (b ? 1 : 0))], {
    error: (i) => requiredField(i) ?? "must be a finite number (or true/false)",
  }),
  candidates: z.union([z.array(id).min(1), z.record(z.string(), probability)]).optional(),
  features: z.record(z.string(), scalar).default({}),
  priors: z.record(z.string(), probability).optional(),
});

export type GenericRow = z.output<typeof genericRowSchema>;

/** Accepted spellings of the generic row's fields; every other top-level field is a feature. */
export const GENERIC_ALIASES: Readonly<Record<string, keyof GenericRow>> = {
  id: "id",
  decisionId: "id",
  decision_id: "id",
  action: "action",
  actionId: "action",
  action_id: "action",
  propensity: "propensity",
  pscore: "propensity",
  probability: "propensity",
  logging_probability: "propensity",
  reward: "reward",
  candidates: "candidates",
  features: "features",
  priors: "priors",
};
