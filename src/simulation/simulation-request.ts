/** What a simulation run takes, validated with zod (HTTP body and CLI share it). */
import { z } from "zod";
import { requiredField } from "../errors/describe-issues.js";
import { CHANNELS } from "../features/vocabulary.js";

const name = z.string().regex(/^[a-z0-9_]{1,64}$/, "must be lower-case letters, digits and _");

export const MAX_SIMULATED_DECISIONS = 50_000;

// One message per field, saying the range: the command line passes "abc" on as NaN, which zod would
// report as "expected number, received NaN".
const count = (expected: string, min: number, max: number) =>
  z
    .number({ error: `must be ${expected}` })
    .int(`must be ${expected}`)
    .min(min, `must be ${expected}`)
    .max(max, `must be ${expected}`);

export const simulationRequestSchema = z
  .strictObject({
    /** The draft: a policy document (object) or its YAML/JSON text. */
    policy: z.union([z.record(z.string(), z.unknown()), z.string().min(1)]),
    /** Where to decide; default: every journey step of the draft on the web channel. */
    placements: z
      .array(
        z.strictObject({
          journey: name,
          step: name,
          channel: z.enum(CHANNELS, {
            error: (i) =>
              `${requiredField(i) ?? `${JSON.stringify(i.input)} is not a channel`} (expected one of: ${CHANNELS.join(", ")})`,
          }),
        }),
      )
      .min(1, "must list at least one placement")
      .max(50, "must list at most 50 placements")
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
        customers: count("a whole number of customers from 1 to 10,000", 1, 10_000),
        seed: count("a whole number, 0 or more", 0, Number.MAX_SAFE_INTEGER).default(1),
      })
      .optional(),
    limit: count("a whole number of actions from 1 to 20", 1, 20).optional(),
  })
  .refine((r) => !(r.customerIds && r.sample), {
    message: "give customerIds or sample, not both",
    path: ["sample"],
  });

export type SimulationRequest = z.output<typeof simulationRequestSchema>;
