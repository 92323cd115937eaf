/** Static profile attributes set by `PUT /v1/customers/:id/profile` (e.g. from a CRM sync). */
import { z } from "zod";
import { PRODUCTS, SEGMENTS } from "./vocabulary.js";

export const customerProfileSchema = z.strictObject({
  tenureMonths: z.number().int("must be a whole number of months").min(0).max(1200),
  age: z.number().int("must be a whole number of years").min(16).max(120).optional(),
  segment: z.enum(SEGMENTS),
  productsHeld: z
    .array(z.enum(PRODUCTS))
    .max(PRODUCTS.length)
    .refine((p) => new Set(p).size === p.length, "must not list a product twice")
    .default([]),
});

export type CustomerProfile = z.output<typeof customerProfileSchema>;
