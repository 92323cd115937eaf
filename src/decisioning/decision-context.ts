/**
 * The state one decision carries through the pipeline stages. Stages narrow `candidates` and record
 * why each removed action went, so a response can explain itself and the log can be replayed.
 */
import type { CustomerFeatures } from "../features/feature-service.js";
import type { Policy, PolicyAction, PriorityBreakdown } from "../policy/index.js";
import { type RuleData, RuleEvaluator } from "../policy/policy-rules.js";
import type { ExcludedAction, StageTrail } from "./decision-record.js";
import type { DecisionRequest } from "./decision-request.js";

export interface Candidate {
  readonly action: PolicyAction;
  /** Offline propensity P(accept); set by the scoring stage. */
  propensity: number;
  /** Set by the arbitration stage. */
  priority?: PriorityBreakdown;
  /** Rules that let it through, for the explanation. */
  readonly reasons: string[];
}

export interface DecisionContext {
  readonly decisionId: string;
  readonly request: DecisionRequest;
  readonly now: number;
  readonly policy: Policy;
  readonly features: CustomerFeatures;
  /** What eligibility rules and context weights read; `scores.propensity` is set per candidate. */
  readonly ruleData: RuleData & { scores: { churn?: number } };
  /** Made by the first stage that runs rules, once the scores are in; shared by the later ones. */
  rules?: RuleEvaluator;
  candidates: Candidate[];
  readonly excluded: ExcludedAction[];
  readonly stages: StageTrail[];
  /** True when a dependency failed and the answer came from defaults; `fallbackReasons` says which. */
  fallback: boolean;
  readonly fallbackReasons: string[];
}

/** Removes candidates `test` rejects, recording the stage and reason, and snapshots what is left. */
export function filterCandidates(
  ctx: DecisionContext,
  stage: string,
  test: (c: Candidate) => string | undefined,
): void {
  const kept: Candidate[] = [];
  for (const c of ctx.candidates) {
    const reason = test(c);
    if (reason === undefined) kept.push(c);
    else ctx.excluded.push({ actionId: c.action.id, stage, reason });
  }
  ctx.candidates = kept;
  recordStage(ctx, stage);
}

/** The decision's rule evaluator (after scoring: it keeps results, so the data must not change after). */
export function ruleEvaluator(ctx: DecisionContext): RuleEvaluator {
  ctx.rules ??= new RuleEvaluator(ctx.ruleData);
  return ctx.rules;
}

/** The first stage lists its candidates; later ones how many they kept (`stageActionIds` derives the ids). */
export function recordStage(ctx: DecisionContext, stage: string): void {
  ctx.stages.push(
    ctx.stages.length === 0
      ? { stage, actionIds: ctx.candidates.map((c) => c.action.id) }
      : { stage, kept: ctx.candidates.length },
  );
}

export function markFallback(ctx: DecisionContext, reason: string): void {
  ctx.fallback = true;
  ctx.fallbackReasons.push(reason);
}
