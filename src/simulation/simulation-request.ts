/** What a simulation run takes, validated with zod (HTTP body and CLI share it). */
import { z } from "zod";
import { CHANNELS } from "../features/vocabulary.js";

const name = z.string().regex(/^[a-z0-9_]{1,64}$/, "must be lower-case letters, digits and _");

export const MAX_SIMULATED_DECISIONS = 50_000;

export const simulationRequestSchema = z
  .strictObject({
    /** The draft: a policy document (object) or its YAML/JSON text. */
    policy: z.union([z.record(z.string(), z.unknown()), z.string().min(1)]),
    /** Where to decide; default: every journey step of the draft on the web channel. */
    placements: z
      .array(z.strictObject({ journey: name, step: name, channel: z.enum(CHANNELS) }))
      .min(1)
      .max(50)
      .optional(),
    /** Real customers from the feature store (read only)... */
    customerIds: z
      .array(z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/))
      .min(1)
      .max(10_000)
      .optional(),
    /** ...or a seeded generated sample (the default: 1,000 customers, seed 1). */
    sample: z
      .strictObject({
        customers: z.number().int().min(1).max(10_000),
        seed: z.number().int().min(0).default(1),
      })
      .optional(),
    limit: z.number().int().min(1).max(20).optional(),
  })
  .refine((r) => !(r.customerIds && r.sample), {
    message: "give customerIds or sample, not both",
    path: ["sample"],
  });

export type SimulationRequest = z.output<typeof simulationRequestSchema>;
