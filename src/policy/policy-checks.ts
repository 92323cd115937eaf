/**
 * Checks that need more than one field: actions name a business unit and journeys/steps the policy
 * defines, ids are unique, context weights point at real units and actions, channel caps name channels.
 * Runs on the raw input (defensively), so these problems are reported together with structural ones.
 */
import type { FieldProblem } from "../errors/app-error.js";
import { CHANNELS } from "../features/vocabulary.js";
import { didYouMean } from "./did-you-mean.js";
import { expectedOneOf, unknownJourney, unknownStep } from "./placement-names.js";
import { formatPath } from "./policy-problems.js";

type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const records = (v: unknown): [number, Raw][] =>
  Array.isArray(v) ? v.flatMap((item, i) => (isRecord(item) ? [[i, item] as [number, Raw]] : [])) : [];

/** Every cross-field problem of a raw policy document, in document order. */
export function crossCheckPolicy(raw: unknown): FieldProblem[] {
  if (!isRecord(raw)) return [];
  const problems: FieldProblem[] = [];
  const add = (path: PropertyKey[], reason: string) => problems.push({ field: formatPath(path), reason });

  const units = isRecord(raw.businessUnits) ? new Set(Object.keys(raw.businessUnits)) : undefined;
  const journeys = new Map<string, Set<string>>();
  if (isRecord(raw.journeys)) {
    for (const [name, steps] of Object.entries(raw.journeys)) {
      const seen = new Set<string>();
      if (Array.isArray(steps)) {
        steps.forEach((step, i) => {
          if (typeof step !== "string") return;
          if (seen.has(step))
            add(["journeys", name, i], `step "${step}" is listed twice in journey "${name}"`);
          seen.add(step);
        });
      }
      journeys.set(name, seen);
    }
  }

  const unitReference = (path: PropertyKey[], unit: unknown) => {
    if (typeof unit !== "string" || units === undefined || units.has(unit)) return;
    add(
      path,
      `"${unit}" is not a business unit of this policy${didYouMean(unit, units)} (${expectedOneOf(units)})`,
    );
  };

  const actionIds = new Map<string, number>();
  for (const [i, action] of records(raw.actions)) {
    const id = action.id;
    if (typeof id === "string") {
      const first = actionIds.get(id);
      if (first !== undefined)
        add(
          ["actions", i, "id"],
          `"${id}" is already the id of actions[${first}]; action ids must be unique`,
        );
      else actionIds.set(id, i);
    }
    unitReference(["actions", i, "businessUnit"], action.businessUnit);
    if (!isRecord(raw.journeys)) continue;
    for (const [p, placement] of records(action.placements)) {
      const journey = placement.journey;
      if (typeof journey !== "string") continue;
      const steps = journeys.get(journey);
      if (steps === undefined) {
        add(["actions", i, "placements", p, "journey"], unknownJourney(journeys, journey, "this policy")!);
        continue;
      }
      if (!Array.isArray(placement.steps)) continue;
      placement.steps.forEach((step, s) => {
        const problem = typeof step === "string" ? unknownStep(steps, journey, step) : undefined;
        if (problem) add(["actions", i, "placements", p, "steps", s], problem);
      });
    }
  }

  for (const [i, weight] of records(raw.contextWeights)) {
    if (weight.businessUnit !== undefined && weight.actionId !== undefined) {
      add(["contextWeights", i], "sets both businessUnit and actionId; scope a weight to one or the other");
    }
    unitReference(["contextWeights", i, "businessUnit"], weight.businessUnit);
    const actionId = weight.actionId;
    if (typeof actionId === "string" && !actionIds.has(actionId)) {
      add(
        ["contextWeights", i, "actionId"],
        `"${actionId}" is not an action of this policy${didYouMean(actionId, actionIds.keys())}`,
      );
    }
  }

  const contact = raw.contactPolicy;
  if (isRecord(contact) && isRecord(contact.perChannel)) {
    const channels: readonly string[] = CHANNELS;
    for (const channel of Object.keys(contact.perChannel)) {
      if (channels.includes(channel)) continue;
      add(
        ["contactPolicy", "perChannel", channel],
        `"${channel}" is not a channel (${expectedOneOf(CHANNELS)})`,
      );
    }
  }
  return problems;
}
