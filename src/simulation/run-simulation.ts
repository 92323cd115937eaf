/** Turns a validated simulation request into a report: loads the draft, picks customers and placements. */
import { exportDecisions } from "../decisioning/decision-export.js";
import type { DecisionLog } from "../decisioning/decision-log.js";
import type { DecisionService } from "../decisioning/decision-service.js";
import type { RewardStore } from "../decisioning/reward-store.js";
import type { FieldProblem } from "../errors/app-error.js";
import { ValidationError } from "../errors/validation-error.js";
import type { FeatureService } from "../features/feature-service.js";
import { evaluate, loadDecisions, type OpeReport } from "../ope/index.js";
import { journeysOf, loadPolicy, type Policy, placementProblem } from "../policy/index.js";
import { type Placement, type SimulationReport, simulatePolicies } from "./policy-simulator.js";
import { MAX_SIMULATED_DECISIONS, type SimulationRequest } from "./simulation-request.js";
import { generatedCustomers, storedCustomers } from "./simulation-sample.js";

export interface SimulationDeps {
  readonly decisionService: DecisionService;
  readonly featureService: FeatureService;
  readonly current: () => Policy;
  readonly now: () => number;
  /** When given, the draft is also valued off-policy on the logged decisions (with their rewards). */
  readonly log?: { readonly decisions: DecisionLog; readonly rewards: RewardStore };
}

/** Logged decisions the off-policy estimate reads: the most recent 30 days, at most this many. */
export const OPE_MAX_DECISIONS = 20_000;

export type OffPolicyEstimate =
  | { readonly available: true; readonly report: OpeReport }
  | { readonly available: false; readonly reason: string };

/** The draft's value estimated from the decision log (IPS, SNIPS, DM, DR), or why there is none. */
async function offPolicy(deps: SimulationDeps, draft: Policy): Promise<OffPolicyEstimate> {
  if (!deps.log) return { available: false, reason: "no decision log in this process" };
  const rows: unknown[] = [];
  for await (const d of exportDecisions(deps.log.decisions, deps.log.rewards, {
    since: deps.now() - 30 * 86_400_000,
    limit: OPE_MAX_DECISIONS,
  })) {
    rows.push(d);
  }
  if (rows.length === 0)
    return { available: false, reason: "the decision log has no decisions in the last 30 days" };
  try {
    return {
      available: true,
      report: evaluate(loadDecisions(rows), { kind: "policy", policy: draft }, { bootstrap: 200 }),
    };
  } catch (err) {
    return { available: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * A placement neither policy knows would run every decision empty for both, and read as "the draft
 * serves nothing there": a typo must be refused by name instead. One policy knowing it is enough (a
 * draft may add a journey or drop one).
 */
function unknownPlacements(placements: readonly Placement[], policies: readonly Policy[]): FieldProblem[] {
  const journeys = journeysOf(...policies);
  return placements.flatMap((placement, i): FieldProblem[] => {
    const problem = placementProblem(journeys, placement, "the draft or the current policy");
    return problem ? [{ field: `placements[${i}].${problem.field}`, reason: problem.reason }] : [];
  });
}

function defaultPlacements(policy: Policy): Placement[] {
  return Object.entries(policy.document.journeys).flatMap(([journey, steps]) =>
    (steps as readonly string[]).map((step) => ({ journey, step, channel: "web" })),
  );
}

export async function runSimulation(
  deps: SimulationDeps,
  request: SimulationRequest,
): Promise<SimulationReport & { placements: Placement[]; offPolicy: OffPolicyEstimate }> {
  const draft = loadPolicy(request.policy);
  const current = deps.current();
  const placements = request.placements ?? defaultPlacements(draft);
  const unknown = unknownPlacements(placements, [draft, current]);
  if (unknown.length > 0) throw new ValidationError(unknown, "simulation request");
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
    current,
    customers,
    placements,
    ...(request.limit ? { limit: request.limit } : {}),
  });
  return { ...report, placements, offPolicy: await offPolicy(deps, draft) };
}
