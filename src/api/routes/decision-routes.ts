/**
 * POST /v1/decisions: what to do next for a customer at a journey step. Kept lean on purpose:
 * Express itself is most of the per-request budget, so the route only validates and delegates.
 */
import { Router } from "express";
import { decisionRequestSchema } from "../../decisioning/decision-request.js";
import type { DecisionService } from "../../decisioning/decision-service.js";
import { parseBody } from "../validate.js";

export function decisionRoutes(deps: { decisionService: DecisionService }): Router {
  const router = Router();
  router.post("/v1/decisions", async (req, res) => {
    const request = parseBody(decisionRequestSchema, req);
    res.json(await deps.decisionService.decide(request));
  });
  // A trivial JSON echo through the same app and middleware: the yardstick bench:decide compares with.
  router.post("/v1/echo", (req, res) => {
    res.json(req.body ?? null);
  });
  return router;
}
