/** Customer features (read) and profile (write). */
import { Router } from "express";
import { z } from "zod";
import type { FeatureService } from "../../features/feature-service.js";
import type { FeatureStore } from "../../features/feature-store.js";
import { customerProfileSchema } from "../../features/profile-schema.js";
import { parseBody, parseParams } from "../validate.js";

export const customerParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(128, "must be at most 128 characters")
    .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits and _ . : -"),
});

export function customerRoutes(deps: { featureService: FeatureService; featureStore: FeatureStore }): Router {
  const router = Router();
  router.get("/v1/customers/:id/features", async (req, res) => {
    const { id } = parseParams(customerParamsSchema, req);
    const features = await deps.featureService.getFeatures(id);
    res.json(deps.featureService.toJson(features));
  });
  router.put("/v1/customers/:id/profile", async (req, res) => {
    const { id } = parseParams(customerParamsSchema, req);
    const profile = parseBody(customerProfileSchema, req);
    await deps.featureStore.putProfile(id, profile);
    res.json({ customerId: id, profile });
  });
  return router;
}
