/**
 * The behaviour event contract: one zod schema for HTTP ingest, JSONL replay and the generator.
 * Events are validated one by one so a bad event never costs a good one its place in a batch.
 */
import { z } from "zod";
import { requiredField } from "../errors/describe-issues.js";
import { BUSINESS_UNITS, CHANNELS, EVENT_TYPES } from "./vocabulary.js";

const id = z
  .string({ error: requiredField })
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits and _ . : -");

const ISO_EXPECTED =
  "an ISO-8601 date-time with a zone (Z or ±hh:mm), e.g. 2026-01-31T12:00:00Z or 2026-01-31T13:00:00+01:00";
const EPOCH_EXPECTED = "whole epoch milliseconds as a JSON number, e.g. 1769860800000";

/**
 * Why a value that neither option of the timestamp union took is wrong, from what was sent: a union
 * on its own reports only "Invalid input", and its options' messages never reach the client.
 */
function timestampReason(input: unknown): string {
  if (input === undefined) return `is required: ${ISO_EXPECTED}, or ${EPOCH_EXPECTED}`;
  if (typeof input === "number") return `must be ${EPOCH_EXPECTED}`;
  if (typeof input === "string" && /^\d+$/.test(input)) {
    return `must be ${EPOCH_EXPECTED} (not a string), or ${ISO_EXPECTED}`;
  }
  if (typeof input === "string") return `must be ${ISO_EXPECTED}`;
  return `must be ${ISO_EXPECTED}, or ${EPOCH_EXPECTED}`;
}

/** An ISO-8601 timestamp with a zone, or epoch milliseconds; normalised to epoch ms. */
export const timestampSchema = z.union(
  [
    z
      .number()
      .min(0, "must be epoch milliseconds at or after 1970-01-01T00:00:00Z")
      .max(8.64e15, "must be epoch milliseconds at most 8.64e15 (the latest date JavaScript can hold)")
      .int(),
    z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
  ],
  { error: (issue) => timestampReason(issue.input) },
);

const propertiesSchema = z
  .object({
    businessUnit: z.enum(BUSINESS_UNITS).optional(),
    productId: id.optional(),
    actionId: id.optional(),
    amount: z.number().finite().min(0, "must be zero or more").max(1e9, "must be at most 1e9").optional(),
  })
  .catchall(
    // The union's message, not zod's bare "Invalid input", says what a property value may be.
    z
      .union([z.string(), z.number().finite(), z.boolean()], { error: "must be a string, number or boolean" })
      .refine((v) => typeof v !== "string" || v.length <= 256, "must be at most 256 characters"),
  )
  .refine((p) => Object.keys(p).length <= 32, "must have at most 32 properties");

/** Properties some event types cannot do without (the features read them). */
const REQUIRED_PROPERTIES: Partial<
  Record<(typeof EVENT_TYPES)[number], readonly ("amount" | "businessUnit" | "actionId")[]>
> = {
  transaction: ["amount"],
  product_view: ["businessUnit"],
  offer_impression: ["actionId", "businessUnit"],
  offer_accept: ["actionId", "businessUnit"],
  offer_reject: ["actionId", "businessUnit"],
};

export const behaviourEventSchema = z
  .object({
    eventId: id,
    customerId: id,
    type: z.enum(EVENT_TYPES, {
      error: (issue) => requiredField(issue) && `is required: one of ${EVENT_TYPES.join(", ")}`,
    }),
    channel: z.enum(CHANNELS, {
      error: (issue) => requiredField(issue) && `is required: one of ${CHANNELS.join(", ")}`,
    }),
    timestamp: timestampSchema,
    properties: propertiesSchema.default({}),
  })
  .superRefine((event, ctx) => {
    for (const name of REQUIRED_PROPERTIES[event.type] ?? []) {
      if (event.properties[name] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["properties", name],
          message: `is required for ${event.type} events`,
        });
      }
    }
  });

/** A validated event; `timestamp` is epoch milliseconds. */
export type BehaviourEvent = z.output<typeof behaviourEventSchema>;
/** What a producer may send (timestamps as ISO strings or epoch ms). */
export type BehaviourEventInput = z.input<typeof behaviourEventSchema>;
