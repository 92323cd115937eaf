/**
 * A draft policy applied to one logged service decision: which logged candidates it keeps (enabled,
 * placed at the journey step on the channel, eligible, non-zero weights) and each one's arbitration
 * multiplier value × business-unit weight × lever × context weight, with its exploration limits.
 * Rules (eligibility and context weights) run over what the log keeps, as the service builds its rule
 * data: the logged features (by the feature plan's names), the request context with journey, step and
 * channel, the arm's prior as `scores.propensity`, the churn score when a churn model rescored the log,
 * and an empty profile (not logged). A row without usable features (not logged, or another feature
 * plan) keeps the logged eligibility instead of re-running the draft's.
 */
import type { Arm } from "../bandit/index.js";
import {
  actionsAt,
  checkEligibility,
  type Policy,
  priorityOf,
  type RuleData,
  RuleEvaluator,
} from "../policy/index.js";
import type { LoggedDecision } from "./logged-decision.js";
import { loggedFeatures, placementContext } from "./logged-features.js";

export interface PolicyArms {
  readonly arms: Arm[];
  /** Candidate index (in the logged row) of each arm. */
  readonly positions: number[];
  /** Logged candidates the draft does not rank (disabled, not placed here, ineligible, weight 0). */
  readonly dropped: number;
  /** Logged candidates the draft's eligibility rules exclude. */
  readonly ineligible: readonly string[];
  /** Whether the draft's eligibility rules ran (the row has features of the current plan). */
  readonly eligibilityRun: boolean;
  /** Why they did not, when they did not. */
  readonly noFeatures?: string;
  /** Actions the draft would also rank here that were not logged candidates: no logging probability. */
  readonly added: readonly string[];
}

/** Scores a replayed row's rules read besides the judged action's own propensity. */
export interface RowModelScores {
  readonly churn?: number;
}

export function policyArms(
  policy: Policy,
  row: LoggedDecision,
  priors: ArrayLike<number>,
  scores: RowModelScores = {},
): PolicyArms {
  const placement = row.placement!;
  const features = loggedFeatures(placement);
  const data: RuleData = {
    features: features.ok ? features.features : {},
    profile: {},
    context: placementContext(placement),
    scores: scores.churn !== undefined ? { churn: scores.churn } : {},
  };
  // One evaluator per row, as the service has one per decision: rules that do not read the judged
  // action's propensity run once.
  const rules = new RuleEvaluator(data);
  const placed = actionsAt(policy, placement);
  const placedIds = new Set(placed.map((a) => a.id));
  const arms: Arm[] = [];
  const positions: number[] = [];
  const ineligible: string[] = [];
  row.candidates.forEach((id, k) => {
    const action = policy.actionById.get(id);
    if (!action?.enabled || !placedIds.has(id)) return;
    const prior = priors[k]!;
    if (!Number.isFinite(prior)) return;
    if (features.ok && !checkEligibility(action, rules, prior).matched) {
      ineligible.push(id);
      return;
    }
    const p = priorityOf(policy, action, prior, rules);
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
  // The logged contact-policy exclusions stand (the contact history is not replayed); the logged
  // eligibility exclusions stand only where the draft's own rules could not run.
  const kept = new Set(
    placement.excluded
      .filter((e) => e.stage === "contact_policy" || (!features.ok && e.stage === "eligibility"))
      .map((e) => e.actionId),
  );
  const logged = new Set(row.candidates);
  const added = placed
    .filter((a) => !logged.has(a.id) && !kept.has(a.id))
    .filter((a) => !features.ok || checkEligibility(a, rules).matched)
    .map((a) => a.id);
  return {
    arms,
    positions,
    dropped: row.candidates.length - arms.length,
    ineligible,
    eligibilityRun: features.ok,
    ...(features.ok ? {} : { noFeatures: features.reason }),
    added,
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

/**
 * Rules (eligibility and context weights) that read data the replay does not have: the profile
 * always, the churn score unless a churn model rescored the log, features when some rows lack them.
 */
export function approximatedRules(
  policy: Policy,
  missing: { readonly features: boolean; readonly churn: boolean },
): string[] {
  const unknown = (path: string) =>
    path.startsWith("profile") ||
    (missing.churn && path === "scores.churn") ||
    (missing.features && path.startsWith("features"));
  const rules = [
    ...policy.actions.map((a) => ({ rule: a.eligibility, description: undefined as string | undefined })),
    ...policy.contextWeights.map((w) => ({ rule: w.when, description: w.description })),
  ];
  return rules
    .filter(({ rule }) => !rule.alwaysTrue && readsOf(rule.logic, []).some(unknown))
    .map(({ rule, description }) => rule.source + (description ? ` (${description})` : ""));
}
