/**
 * Eligibility and context rules at run time. A rule is checked and frozen once, when its policy is
 * loaded; evaluating it on the hot path never throws: a rule that fails counts as false, with a reason.
 */
import jsonLogic from "json-logic-js";
import { ValidationError } from "../errors/validation-error.js";
import { deepFreeze } from "./deep-freeze.js";
import { formatPath } from "./policy-problems.js";
import { checkRule, type Rule } from "./rule-checks.js";

/**
 * What a rule may read. Variables resolve by dotted path (`features.age`, `context.channel`); a missing
 * one reads as null unless the rule gives a default (`{"var": ["features.age", 0]}`).
 */
export interface RuleData {
  /** Feature name -> value, as computed by the feature service. */
  readonly features: Readonly<Record<string, number | null>>;
  /** The customer's static profile (tenureMonths, age, segment, productsHeld). */
  readonly profile: Readonly<Record<string, unknown>>;
  /** The request: journey, step, channel and whatever the caller sent as context. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Model scores in [0, 1]; `propensity` is the score of the action being judged. */
  readonly scores: { readonly churn?: number; readonly propensity?: number };
}

/** A rule ready to run: validated, deep-frozen, labelled with where it came from. */
export interface CompiledRule {
  /** Where the rule lives in its policy, e.g. `actions[3].eligibility`, for reasons and logs. */
  readonly source: string;
  readonly logic: Rule;
  /** true when the rule is the literal `true`, so evaluation can skip the interpreter. */
  readonly alwaysTrue: boolean;
  /** The rule as canonical text: equal rules (e.g. the same age check on several actions) share a result. */
  readonly key: string;
  /** true when the rule may read the judged action's own score (`scores.propensity`), so it is per candidate. */
  readonly perCandidate: boolean;
}

/** `matched` is false whenever `error` is set: a failing rule never lets an action through. */
export interface RuleResult {
  readonly matched: boolean;
  readonly error?: string;
}

/**
 * Checks and freezes a rule. Throws a ValidationError naming every problem (paths under `source`);
 * policies are validated before compiling, so this only throws for rules that bypassed validation.
 */
export function compileRule(logic: Rule, source: string): CompiledRule {
  const problems = checkRule(logic);
  if (problems.length > 0) {
    throw new ValidationError(
      problems.map((p) => {
        const inner = p.path.length === 0 ? "" : formatPath(p.path);
        return {
          field: inner.startsWith("[") || inner === "" ? source + inner : `${source}.${inner}`,
          reason: p.reason,
        };
      }),
      "rule",
    );
  }
  const copy = deepFreeze(structuredClone(logic));
  return {
    source,
    logic: copy,
    alwaysTrue: copy === true,
    key: JSON.stringify(copy),
    perCandidate: readsCandidate(copy),
  };
}

/**
 * Whether a rule may read `scores.propensity`: a `var` naming it, its parent `scores` or the whole data,
 * or a `var` whose name is computed (unknown until run time, so assumed to).
 */
function readsCandidate(logic: unknown): boolean {
  if (Array.isArray(logic)) return logic.some(readsCandidate);
  if (logic === null || typeof logic !== "object") return false;
  for (const [op, args] of Object.entries(logic)) {
    if (op === "var") {
      const name = Array.isArray(args) ? args[0] : args;
      if (typeof name !== "string" && typeof name !== "number") return true;
      const path = String(name);
      if (path === "" || path === "scores" || path.startsWith("scores.propensity")) return true;
      if (Array.isArray(args) && args.slice(1).some(readsCandidate)) return true;
      continue;
    }
    if (readsCandidate(args)) return true;
  }
  return false;
}

const TRUE: RuleResult = Object.freeze({ matched: true });
const FALSE: RuleResult = Object.freeze({ matched: false });

/**
 * One decision's rule evaluations. A rule that cannot read the judged action's own score gives the
 * same answer for every candidate, so it runs once per decision (with equal rules sharing the run);
 * only rules that read `scores.propensity` run per candidate. The json-logic interpreter is most of a
 * decision's rule cost, and the sample policy's 20 eligibility and 5 context rules would otherwise run
 * up to 120 times per decision.
 */
export class RuleEvaluator {
  private readonly shared = new Map<string, RuleResult>();

  /** `data` must not change while the evaluator is in use (results are kept). */
  constructor(readonly data: RuleData) {}

  evaluate(rule: CompiledRule, propensity?: number): RuleResult {
    if (rule.alwaysTrue) return TRUE;
    if (rule.perCandidate) {
      return evaluate(rule, { ...this.data, scores: { ...this.data.scores, propensity } });
    }
    let result = this.shared.get(rule.key);
    if (result === undefined) {
      result = evaluate(rule, this.data);
      this.shared.set(rule.key, result);
    }
    return result;
  }
}

/** Runs a compiled rule over one decision's data. Never throws. */
export function evaluate(rule: CompiledRule, data: RuleData): RuleResult {
  if (rule.alwaysTrue) return TRUE;
  try {
    return jsonLogic.truthy(jsonLogic.apply(rule.logic as jsonLogic.RulesLogic, data)) ? TRUE : FALSE;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { matched: false, error: `${rule.source} failed at run time (${message}); counted as false` };
  }
}
