/** The body of `POST /v1/decisions`, validated with zod: the one place its rules live. */
import { z } from "zod";
import { requiredField } from "../errors/describe-issues.js";
import { CHANNELS } from "../features/vocabulary.js";

const id = z
  .string({ error: requiredField })
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits and _ . : -");

const name = z
  .string({ error: requiredField })
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9_]+$/, "must be lower-case letters, digits and _");

export const decisionRequestSchema = z.strictObject({
  customerId: id,
  journey: name,
  step: name,
  channel: z.enum(CHANNELS, {
    error: (issue) => requiredField(issue) && `is required: one of ${CHANNELS.join(", ")}`,
  }),
  /** The caller's own context (device, campaign, basket value...); used by rules, weights and the bandit. */
  context: z
    .record(
      z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "context keys must be identifiers of at most 64 characters"),
      z
        .union([z.string(), z.number(), z.boolean()], { error: "must be a string, number or boolean" })
        .refine((v) => typeof v !== "string" || v.length <= 256, "must be at most 256 characters"),
    )
    .refine((c) => Object.keys(c).length <= 32, "must have at most 32 entries")
    .default({}),
  /** Restrict the decision to these actions (default: what the policy places at this step and channel). */
  candidates: z.array(id).min(1).max(100, "must list at most 100 actions").optional(),
  /** How many ranked actions to return (default: the policy's topK.defaultLimit). */
  limit: z.number().int().min(1).max(20).optional(),
  /** The same key (per customer) returns the same decision for the reward window. */
  idempotencyKey: id.optional(),
});

export type DecisionRequest = z.output<typeof decisionRequestSchema>;
