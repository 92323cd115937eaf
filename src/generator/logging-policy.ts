/**
 * The policy that chose which offer was shown in the synthetic history: a static business-priority
 * ranking, lightly targeted on product views, but stochastic over every eligible action so logged
 * data supports off-policy evaluation. Its propensities are written beside each impression.
 */
import type { Channel } from "../features/vocabulary.js";
import type { Random } from "../random/seeded-random.js";
import { type ActionId, getAction } from "./action-catalogue.js";
import type { ObservedBehaviour } from "./ground-truth.js";
import { unitViews } from "./ground-truth.js";
import { pickWeighted } from "./sampling.js";

/** Relative weight with which the logging policy shows `actionId` on `channel`, given what it sees. */
export function loggingWeight(actionId: ActionId, channel: Channel, observed: ObservedBehaviour): number {
  const action = getAction(actionId);
  // Static priority: bigger-ticket actions are pushed harder, but sub-linearly.
  let w = Math.sqrt(action.value / 100);
  if (channel === "call_centre" && action.kind !== "offer") w *= 4;
  if (channel === "branch" && action.kind === "offer") w *= 1.5;
  if (channel === "app" && action.kind === "service") w *= 1.5;
  if (action.businessUnit !== "retention" && unitViews(observed, action.businessUnit) > 0) w *= 2;
  return w;
}

/** Propensity of every candidate under the logging policy (same order as `candidates`). */
export function loggingPropensities(
  candidates: readonly ActionId[],
  channel: Channel,
  observed: ObservedBehaviour,
): number[] {
  const weights = candidates.map((a) => loggingWeight(a, channel, observed));
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

export function chooseLoggedAction(
  rng: Random,
  candidates: readonly ActionId[],
  channel: Channel,
  observed: ObservedBehaviour,
): { actionId: ActionId; propensity: number } {
  const propensities = loggingPropensities(candidates, channel, observed);
  const i = pickWeighted(rng, propensities);
  return { actionId: candidates[i]!, propensity: propensities[i]! };
}
