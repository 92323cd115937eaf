/** POST /v1/rewards: joins a reward to the decision that served the action (see docs/decision-log.md). */
import { Router } from "express";
import { z } from "zod";
import type { RewardService } from "../../decisioning/reward-service.js";
import { requiredField } from "../../errors/describe-issues.js";
import { parseBody } from "../validate.js";

export const rewardRequestSchema = z.strictObject({
  decisionId: z
    .string({ error: requiredField })
    .min(1, "must not be empty")
    .max(128, "must be at most 128 characters")
    .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits and _ . : -"),
  actionId: z
    .string({ error: requiredField })
    .min(1, "must not be empty")
    .max(128, "must be at most 128 characters")
    .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits and _ . : -"),
  reward: z
    .number({
      error: (issue) =>
        (requiredField(issue) && "is required: a number, e.g. 1 for accepted") ?? "must be a number",
    })
    .refine(Number.isFinite, "must be a finite number"),
  /** e.g. accepted, rejected (suppresses the action for the customer), clicked, ignored. */
  outcome: z
    .string()
    .min(1, "must not be empty")
    .max(32, "must be at most 32 characters")
    .regex(/^[a-z][a-z0-9_]*$/, "must be lower-case letters, digits and _, e.g. accepted or rejected")
    .optional(),
});

export type RewardRequestBody = z.output<typeof rewardRequestSchema>;

export function rewardRoutes(deps: { rewardService: RewardService }): Router {
  const router = Router();
  router.post("/v1/rewards", async (req, res) => {
    const body = parseBody(rewardRequestSchema, req);
    res.json(await deps.rewardService.recordReward(body));
  });
  return router;
}
