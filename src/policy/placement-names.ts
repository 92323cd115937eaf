/**
 * Whether a journey and step are among a policy's, in one wording for the policy checks, the decision
 * endpoint and simulations: the name given, a did-you-mean, and the valid names.
 */

import type { Policy } from "./compiled-policy.js";
import { didYouMean } from "./did-you-mean.js";

/** Journey -> its steps. */
export type JourneySteps = ReadonlyMap<string, ReadonlySet<string>>;

export const expectedOneOf = (known: Iterable<string>): string =>
  `expected one of: ${[...known].join(", ") || "(none defined)"}`;

export function unknownJourney(journeys: JourneySteps, journey: string, of: string): string | undefined {
  if (journeys.has(journey)) return undefined;
  return `"${journey}" is not a journey of ${of}${didYouMean(journey, journeys.keys())} (${expectedOneOf(journeys.keys())})`;
}

export function unknownStep(
  steps: ReadonlySet<string>,
  journey: string,
  step: string,
  of?: string,
): string | undefined {
  if (steps.has(step)) return undefined;
  return `"${step}" is not a step of journey "${journey}"${of ? ` in ${of}` : ""}${didYouMean(step, steps)} (${expectedOneOf(steps)})`;
}

/** What is wrong with a placement's journey or step, or undefined when `journeys` has both. */
export function placementProblem(
  journeys: JourneySteps,
  placement: { readonly journey: string; readonly step: string },
  of: string,
): { readonly field: "journey" | "step"; readonly reason: string } | undefined {
  const journey = unknownJourney(journeys, placement.journey, of);
  if (journey) return { field: "journey", reason: journey };
  const step = unknownStep(journeys.get(placement.journey)!, placement.journey, placement.step, of);
  return step ? { field: "step", reason: step } : undefined;
}

const single = new WeakMap<Policy, JourneySteps>();

/** The journeys and steps of one or more policies together (a draft and the current one), memoised per policy. */
export function journeysOf(...policies: readonly Policy[]): JourneySteps {
  if (policies.length === 1) {
    const known = single.get(policies[0]!);
    if (known) return known;
  }
  const journeys = new Map<string, Set<string>>();
  for (const policy of policies)
    for (const [journey, steps] of Object.entries(policy.document.journeys)) {
      const known = journeys.get(journey) ?? new Set<string>();
      for (const step of steps as readonly string[]) known.add(step);
      journeys.set(journey, known);
    }
  if (policies.length === 1) single.set(policies[0]!, journeys);
  return journeys;
}
