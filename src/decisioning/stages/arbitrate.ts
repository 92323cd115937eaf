/**
 * Stage: arbitration across business units. Each candidate's priority is
 *   propensity x value x business-unit weight x action lever x context weight,
 * every factor but the propensity taken from the policy (see src/policy/policy-priority.ts).
 * A candidate whose business unit weighs 0 is excluded rather than ranked last, so it is never shown.
 */
import { priorityOf } from "../../policy/index.js";
import type { DecisionContext } from "../decision-context.js";
import { filterCandidates, ruleEvaluator } from "../decision-context.js";

export function arbitrate(ctx: DecisionContext): void {
  const rules = ruleEvaluator(ctx);
  filterCandidates(ctx, "arbitration", (c) => {
    const p = priorityOf(ctx.policy, c.action, c.propensity, rules);
    c.priority = p;
    if (p.businessUnitWeight === 0)
      return `business unit ${c.action.businessUnit} has weight 0 in this policy`;
    if (p.lever === 0) return "action lever is 0 in this policy";
    if (p.contextWeight === 0)
      return `a context weight of 0 applies (${p.appliedContextWeights.map((w) => w.source).join(", ")})`;
    for (const w of p.appliedContextWeights)
      c.reasons.push(
        `context weight x${w.weight} from ${w.source}${w.description ? ` (${w.description})` : ""}`,
      );
    return undefined;
  });
}
