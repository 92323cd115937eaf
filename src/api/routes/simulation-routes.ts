/** POST /v1/policies/simulate (admin): what a draft policy would do, before it goes live. */
import { Router } from "express";
import type { DecisionLog } from "../../decisioning/decision-log.js";
import type { DecisionService } from "../../decisioning/decision-service.js";
import type { RewardStore } from "../../decisioning/reward-store.js";
import type { FeatureService } from "../../features/feature-service.js";
import type { PolicyService } from "../../policy/index.js";
import { runSimulation } from "../../simulation/run-simulation.js";
import { simulationRequestSchema } from "../../simulation/simulation-request.js";
import { adminAuth } from "../middleware/admin-auth.js";
import { parseBody } from "../validate.js";

export function simulationRoutes(deps: {
  decisionService: DecisionService;
  featureService: FeatureService;
  policyService: PolicyService;
  decisionLog: DecisionLog;
  rewardStore: RewardStore;
  config: { readonly ADMIN_TOKEN?: string | undefined };
}): Router {
  const router = Router();
  router.post("/v1/policies/simulate", adminAuth(deps.config.ADMIN_TOKEN), async (req, res) => {
    const request = parseBody(simulationRequestSchema, req);
    res.json(
      await runSimulation(
        {
          decisionService: deps.decisionService,
          featureService: deps.featureService,
          current: () => deps.policyService.current().policy,
          now: Date.now,
          log: { decisions: deps.decisionLog, rewards: deps.rewardStore },
        },
        request,
      ),
    );
  });
  return router;
}
