/** Turns a validated simulation request into a report: loads the draft, picks customers and placements. */
import type { DecisionService } from "../decisioning/decision-service.js";
import { ValidationError } from "../errors/validation-error.js";
import type { FeatureService } from "../features/feature-service.js";
import { loadPolicy, type Policy } from "../policy/index.js";
import { type Placement, type SimulationReport, simulatePolicies } from "./policy-simulator.js";
import { MAX_SIMULATED_DECISIONS, type SimulationRequest } from "./simulation-request.js";
import { generatedCustomers, storedCustomers } from "./simulation-sample.js";

export interface SimulationDeps {
  readonly decisionService: DecisionService;
  readonly featureService: FeatureService;
  readonly current: () => Policy;
  readonly now: () => number;
}

function defaultPlacements(policy: Policy): Placement[] {
  return Object.entries(policy.document.journeys).flatMap(([journey, steps]) =>
    (steps as readonly string[]).map((step) => ({ journey, step, channel: "web" })),
  );
}

export async function runSimulation(
  deps: SimulationDeps,
  request: SimulationRequest,
): Promise<SimulationReport & { placements: Placement[] }> {
  const draft = loadPolicy(request.policy);
  const placements = request.placements ?? defaultPlacements(draft);
  const customers = request.customerIds
    ? await storedCustomers(deps.featureService, request.customerIds)
    : generatedCustomers(deps.featureService.plan, {
        customers: request.sample?.customers ?? 1_000,
        seed: request.sample?.seed ?? 1,
        now: deps.now(),
      });
  if (customers.length * placements.length > MAX_SIMULATED_DECISIONS) {
    throw new ValidationError(
      [
        {
          field: "placements",
          reason: `customers x placements is ${customers.length * placements.length}; at most ${MAX_SIMULATED_DECISIONS} per run`,
        },
      ],
      "simulation request",
    );
  }
  const report = await simulatePolicies(deps.decisionService, {
    draft,
    current: deps.current(),
    customers,
    placements,
    ...(request.limit ? { limit: request.limit } : {}),
  });
  return { ...report, placements };
}
