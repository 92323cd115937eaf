/**
 * A row of the service's decision export as a logged decision: the first-ranked served action is
 * the logged action (its P(first) is what the bandit logged for every candidate), and its joined
 * reward the outcome. Later ranks are not used: their selection probability is not logged.
 */

import type { ExportRow } from "./log-schemas.js";
import type { LoggedDecision } from "./logged-decision.js";

export type RowOutcome =
  | { readonly ok: true; readonly row: LoggedDecision }
  | {
      readonly ok: false;
      readonly kind: "malformed" | "skipped";
      readonly reason: string;
      readonly category?: string;
    };

const malformed = (reason: string): RowOutcome => ({ ok: false, kind: "malformed", reason });
const skipped = (category: string, reason: string): RowOutcome => ({
  ok: false,
  kind: "skipped",
  reason,
  category,
});

/** Tolerance on Σ P(first) = 1 (Thompson's counts/M and the limits sum to 1 up to rounding). */
const SUM_TOLERANCE = 1e-3;

export function fromExportRow(r: ExportRow, line: number): RowOutcome {
  const candidates = Object.keys(r.candidateProbabilities);
  if (candidates.length === 0 || r.chosen.length === 0)
    return skipped("nothing served", "nothing was served (no candidate reached the bandit)");
  const first = r.chosen.reduce((a, b) => (b.rank < a.rank ? b : a));
  // The logged probability is of the policy's first choice: when that was refused at write time
  // (another decision for the customer got there first), what was served first is not it.
  if (first.rank !== 1)
    return skipped(
      "first choice refused",
      "the policy's first choice was not served (refused at write time by a concurrent decision)",
    );
  const action = candidates.indexOf(first.actionId);
  if (action < 0) return malformed(`served action ${first.actionId} has no entry in candidateProbabilities`);
  const logging = Float64Array.from(candidates, (a) => r.candidateProbabilities[a]!);
  const total = logging.reduce((s, p) => s + p, 0);
  if (Math.abs(total - 1) > SUM_TOLERANCE)
    return malformed(`candidateProbabilities sum to ${total.toFixed(6)}, not 1`);
  const propensity = logging[action]!;
  if (!(propensity > 0)) return malformed(`the served action ${first.actionId} has logged probability 0`);
  if (r.banditContext.length === 0) return malformed("banditContext is empty");
  const reward = r.rewards.find((w) => w.actionId === first.actionId);
  if (!reward)
    return skipped("no reward yet", `no reward joined for ${first.actionId} yet (reward window still open?)`);
  const priors = candidates.every((a) => r.priors[a] !== undefined)
    ? Float64Array.from(candidates, (a) => r.priors[a]!)
    : undefined;
  const explained = r.explanations;
  const multipliers =
    explained && candidates.every((a) => explained[a] !== undefined)
      ? Float64Array.from(candidates, (a) => {
          const p = explained[a]!.priority;
          return p.value * p.businessUnitWeight * p.lever * p.contextWeight;
        })
      : undefined;
  return {
    ok: true,
    row: {
      line,
      id: r.decisionId,
      x: Float64Array.from(r.banditContext),
      candidates,
      action,
      propensity,
      reward: reward.reward,
      loggingProbabilities: logging,
      ...(priors ? { priors } : {}),
      ...(multipliers ? { multipliers } : {}),
      placement: {
        journey: r.journey,
        step: r.step,
        channel: r.channel,
        context: r.context,
        excluded: r.excluded.map((e) => ({ actionId: e.actionId, stage: e.stage })),
        ...(r.policyVersion !== undefined ? { policyVersion: r.policyVersion } : {}),
        modelVersions: r.modelVersions,
        ...(r.features !== undefined ? { features: r.features } : {}),
        ...(r.featurePlan !== undefined ? { featurePlan: r.featurePlan } : {}),
        ...(r.churn !== undefined ? { churn: r.churn } : {}),
      },
    },
  };
}
