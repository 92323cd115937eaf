/**
 * Stage 1: the candidate actions. By default what the policy places at this journey step and
 * channel; when the caller lists candidates, those (unknown, disabled or off-channel ones are
 * excluded with the reason, so a typo is visible rather than silently empty).
 */
import { actionsAt } from "../../policy/index.js";
import type { Candidate, DecisionContext } from "../decision-context.js";
import { recordStage } from "../decision-context.js";

const candidate = (action: Candidate["action"]): Candidate => ({ action, propensity: 0, reasons: [] });

export function selectCandidates(ctx: DecisionContext): void {
  const { policy, request } = ctx;
  if (!request.candidates) {
    ctx.candidates = actionsAt(policy, request).map(candidate);
    recordStage(ctx, "candidates");
    return;
  }
  const seen = new Set<string>();
  for (const id of request.candidates) {
    if (seen.has(id)) continue;
    seen.add(id);
    const action = policy.actionById.get(id);
    const reason = !action
      ? `is not an action of policy ${policy.name} (${policy.version})`
      : !action.enabled
        ? "is disabled in the policy"
        : !(action.channels as ReadonlySet<string>).has(request.channel)
          ? `is not allowed on channel ${request.channel}`
          : undefined;
    if (reason || !action)
      ctx.excluded.push({ actionId: id, stage: "candidates", reason: reason ?? "unknown" });
    else ctx.candidates.push(candidate(action));
  }
  recordStage(ctx, "candidates");
}
