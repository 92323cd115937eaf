/** Stage: the eligibility rules of the policy, per candidate, over features, profile, context and scores. */
import { checkEligibility } from "../../policy/index.js";
import type { DecisionContext } from "../decision-context.js";
import { filterCandidates, ruleEvaluator } from "../decision-context.js";
import { ruleText } from "../rule-text.js";

export function applyEligibility(ctx: DecisionContext): void {
  const rules = ruleEvaluator(ctx);
  filterCandidates(ctx, "eligibility", (c) => {
    const result = checkEligibility(c.action, rules, c.propensity);
    if (result.matched) {
      if (!c.action.eligibility.alwaysTrue) c.reasons.push(`eligible: ${ruleText(c.action.eligibility)}`);
      return undefined;
    }
    return result.error
      ? `eligibility rule failed to evaluate (${result.error}): ${ruleText(c.action.eligibility)}`
      : `not eligible: ${ruleText(c.action.eligibility)}`;
  });
}
