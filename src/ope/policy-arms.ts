/**
 * A draft policy applied to one logged service decision: which logged candidates it keeps (enabled,
 * placed at the journey step on the channel, non-zero weights) and each one's arbitration multiplier
 * value × business-unit weight × lever × context weight, with its exploration limits. Eligibility rules
 * are not re-run (the log keeps no features or profile): the logged eligibility stands. Context
 * weights are evaluated on what the log has (the request context, journey, step, channel and the
 * logged prior as `scores.propensity`); a rule reading features, profile or the churn score sees them
 * missing (its own default applies).
 */
import type { Arm } from "../bandit/index.js";
import { actionsAt, type Policy, priorityOf, RuleEvaluator } from "../policy/index.js";
import type { DecisionPlacement, LoggedDecision } from "./logged-decision.js";

export interface PolicyArms {
  readonly arms: Arm[];
  /** Candidate index (in the logged row) of each arm. */
  readonly positions: number[];
  /** Logged candidates the draft does not rank (disabled, not placed here, weight 0). */
  readonly dropped: number;
  /** Actions the draft would also rank here that were not logged candidates: no logging probability. */
  readonly added: readonly string[];
}

/** Stages whose exclusions the replay keeps (the draft is assumed to agree with them). */
const KEPT_STAGES: ReadonlySet<string> = new Set(["eligibility", "contact_policy"]);

function ruleData(placement: DecisionPlacement, prior: number) {
  return {
    features: {},
    profile: {},
    context: {
      ...placement.context,
      journey: placement.journey,
      step: placement.step,
      channel: placement.channel,
    },
    scores: { propensity: prior },
  };
}

export function policyArms(policy: Policy, row: LoggedDecision, priors: ArrayLike<number>): PolicyArms {
  const placement = row.placement!;
  const placed = actionsAt(policy, placement);
  const placedIds = new Set(placed.map((a) => a.id));
  const arms: Arm[] = [];
  const positions: number[] = [];
  row.candidates.forEach((id, k) => {
    const action = policy.actionById.get(id);
    if (!action?.enabled || !placedIds.has(id)) return;
    const prior = priors[k]!;
    const p = priorityOf(policy, action, prior, new RuleEvaluator(ruleData(placement, prior)));
    if (p.businessUnitWeight === 0 || p.lever === 0 || p.contextWeight === 0) return;
    arms.push({
      actionId: id,
      prior,
      multiplier: p.value * p.businessUnitWeight * p.lever * p.contextWeight,
      explore: action.exploration,
      group: action.businessUnit,
    });
    positions.push(k);
  });
  const kept = new Set(placement.excluded.filter((e) => KEPT_STAGES.has(e.stage)).map((e) => e.actionId));
  const logged = new Set(row.candidates);
  return {
    arms,
    positions,
    dropped: row.candidates.length - arms.length,
    added: [...placedIds].filter((id) => !logged.has(id) && !kept.has(id)),
  };
}

/** The policy's per-business-unit exploration limits (`maxExplorationShare`). */
export function groupLimitsOf(policy: Policy): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [id, unit] of policy.businessUnits)
    if (unit.maxExplorationShare !== undefined) limits[id] = unit.maxExplorationShare;
  return limits;
}

function readsOf(rule: unknown, out: string[]): string[] {
  if (Array.isArray(rule)) for (const r of rule) readsOf(r, out);
  else if (rule && typeof rule === "object") {
    for (const [op, arg] of Object.entries(rule)) {
      if (op === "var") {
        const path = Array.isArray(arg) ? arg[0] : arg;
        if (typeof path === "string") out.push(path);
      }
      readsOf(arg, out);
    }
  }
  return out;
}

/** Context weights whose rule reads data the log does not keep (features, profile, the churn score). */
export function approximatedContextWeights(policy: Policy): string[] {
  return policy.contextWeights
    .filter((w) =>
      readsOf(w.when.logic, []).some(
        (p) => p.startsWith("features") || p.startsWith("profile") || p === "scores.churn",
      ),
    )
    .map((w) => w.source + (w.description ? ` (${w.description})` : ""));
}
