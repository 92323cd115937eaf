/**
 * The customer's feature values a logged decision recorded, by feature name: what a draft policy's
 * eligibility rules and another model version read when the decision is replayed. Only values logged
 * under the current feature plan can be named (the plan's version is a hash of its name order).
 */
import { FEATURE_PLAN } from "../features/feature-plan.js";
import type { DecisionPlacement } from "./logged-decision.js";

/** What the replay needs of a feature plan: the names in vector order and their version. */
export interface PlanNames {
  readonly names: readonly string[];
  readonly version: string;
}

export type LoggedFeatures =
  | { readonly ok: true; readonly features: Readonly<Record<string, number | null>> }
  | { readonly ok: false; readonly reason: string };

export function loggedFeatures(placement: DecisionPlacement, plan: PlanNames = FEATURE_PLAN): LoggedFeatures {
  const values = placement.features;
  if (values === undefined || placement.featurePlan === undefined)
    return { ok: false, reason: "no logged features (the decision predates feature logging)" };
  if (placement.featurePlan !== plan.version)
    return {
      ok: false,
      reason: `features logged under feature plan ${placement.featurePlan}, the current plan is ${plan.version}`,
    };
  if (values.length !== plan.names.length)
    return {
      ok: false,
      reason: `${values.length} logged feature values, the feature plan has ${plan.names.length}`,
    };
  const features: Record<string, number | null> = {};
  plan.names.forEach((name, i) => {
    features[name] = values[i]!;
  });
  return { ok: true, features };
}

/** Context as rules and models see it: the request's values plus journey, step and channel. */
export function placementContext(placement: DecisionPlacement): Record<string, unknown> {
  return {
    ...placement.context,
    journey: placement.journey,
    step: placement.step,
    channel: placement.channel,
  };
}
