/**
 * What the decision pipeline asks of a policy, as pure functions: which actions may appear at a
 * journey step on a channel, whether an action is eligible, and its arbitration priority
 *   priority = propensity x value x business-unit weight x action lever x context weight
 * with every factor except the propensity taken from the policy.
 */
import type { Policy, PolicyAction } from "./compiled-policy.js";
import { placementKey } from "./compiled-policy.js";
import type { RuleEvaluator, RuleResult } from "./policy-rules.js";

export interface Placement {
  readonly journey: string;
  readonly step: string;
  readonly channel: string;
}

/**
 * Enabled actions placed at `journey`/`step` and allowed on `channel`, in document order. An unknown
 * journey, step or channel yields an empty list (the caller reports it).
 */
export function actionsAt(policy: Policy, at: Placement): PolicyAction[] {
  const placed = policy.placements.get(placementKey(at.journey, at.step)) ?? [];
  return placed.filter((a) => (a.channels as ReadonlySet<string>).has(at.channel));
}

/**
 * The action's eligibility rule over this decision's data, judged with the action's propensity; a
 * failing rule is not eligible (see error).
 */
export function checkEligibility(
  action: PolicyAction,
  rules: RuleEvaluator,
  propensity?: number,
): RuleResult {
  return rules.evaluate(action.eligibility, propensity);
}

export interface AppliedWeight {
  readonly source: string;
  readonly weight: number;
  readonly description: string | undefined;
}

export interface ContextWeightResult {
  /** Product of every matching weight in scope; 1 when none matches. */
  readonly weight: number;
  readonly applied: readonly AppliedWeight[];
  /** Rules that failed at run time (each counted as not matching). */
  readonly errors: readonly string[];
}

/** Multiplies the context weights whose scope covers `action` and whose `when` rule matches. */
export function contextWeightOf(
  policy: Policy,
  action: PolicyAction,
  rules: RuleEvaluator,
  propensity?: number,
): ContextWeightResult {
  let weight = 1;
  const applied: AppliedWeight[] = [];
  const errors: string[] = [];
  for (const cw of policy.contextWeights) {
    if (cw.businessUnit !== undefined && cw.businessUnit !== action.businessUnit) continue;
    if (cw.actionId !== undefined && cw.actionId !== action.id) continue;
    const result = rules.evaluate(cw.when, propensity);
    if (result.error !== undefined) errors.push(result.error);
    if (!result.matched) continue;
    weight *= cw.weight;
    applied.push({ source: cw.source, weight: cw.weight, description: cw.description });
  }
  return { weight, applied, errors };
}

export interface PriorityBreakdown {
  readonly priority: number;
  readonly propensity: number;
  /** EUR. */
  readonly value: number;
  readonly businessUnitWeight: number;
  readonly lever: number;
  readonly contextWeight: number;
  readonly appliedContextWeights: readonly AppliedWeight[];
  readonly errors: readonly string[];
}

/**
 * The arbitration priority of `action` with its factors, for ranking and for explaining the ranking.
 * `propensity` is the model's acceptance probability in [0, 1]; a non-finite one counts as 0.
 */
export function priorityOf(
  policy: Policy,
  action: PolicyAction,
  propensity: number,
  rules: RuleEvaluator,
): PriorityBreakdown {
  const p = Number.isFinite(propensity) ? propensity : 0;
  const businessUnitWeight = policy.businessUnits.get(action.businessUnit)?.weight ?? 0;
  const context = contextWeightOf(policy, action, rules, propensity);
  return {
    priority: p * action.value * businessUnitWeight * action.lever * context.weight,
    propensity: p,
    value: action.value,
    businessUnitWeight,
    lever: action.lever,
    contextWeight: context.weight,
    appliedContextWeights: context.applied,
    errors: context.errors,
  };
}
