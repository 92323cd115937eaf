/**
 * A validated policy document turned into what the decision hot path reads: lookups by id, defaults
 * resolved, rules compiled, and an index of which actions may appear at each journey step.
 * Immutable; a new version means a new `Policy` object, swapped in whole.
 */
import type { Channel } from "../features/vocabulary.js";
import { deepFreeze } from "./deep-freeze.js";
import { type CompiledRule, compileRule } from "./policy-rules.js";
import type { ActionDocument, FrequencyCap, PolicyDocument } from "./policy-schema.js";

export interface PolicyAction {
  readonly id: string;
  readonly businessUnit: string;
  readonly name: string;
  /** EUR if accepted. */
  readonly value: number;
  readonly lever: number;
  readonly enabled: boolean;
  readonly channels: ReadonlySet<Channel>;
  /** Resolved: the action's own value or contactPolicy.defaults. */
  readonly cooldownHours: number;
  readonly suppressionDays: number;
  readonly exploration: { readonly enabled: boolean; readonly maxProbability: number };
  readonly eligibility: CompiledRule;
  /** Position in the document's action list. */
  readonly index: number;
  readonly document: ActionDocument;
}

export interface BusinessUnitPolicy {
  readonly id: string;
  readonly weight: number;
  readonly maxExplorationShare: number | undefined;
  readonly caps: readonly FrequencyCap[];
}

export interface ContextWeight {
  /** e.g. `contextWeights[2]`. */
  readonly source: string;
  readonly description: string | undefined;
  readonly when: CompiledRule;
  readonly weight: number;
  /** Scope: undefined for both means every action. */
  readonly businessUnit: string | undefined;
  readonly actionId: string | undefined;
}

/**
 * One activated policy version. Every collection keeps document order, so ties and explanations are
 * reproducible. Read it freely on the hot path: it never changes and involves no I/O.
 */
export interface Policy {
  readonly version: string;
  readonly name: string;
  /** The validated document with defaults filled in: what was hashed into `version` and is stored. */
  readonly document: PolicyDocument;
  /** All actions, enabled or not. */
  readonly actions: readonly PolicyAction[];
  readonly actionById: ReadonlyMap<string, PolicyAction>;
  readonly businessUnits: ReadonlyMap<string, BusinessUnitPolicy>;
  readonly contextWeights: readonly ContextWeight[];
  /** `placementKey(journey, step)` -> enabled actions that may appear there. */
  readonly placements: ReadonlyMap<string, readonly PolicyAction[]>;
}

export function placementKey(journey: string, step: string): string {
  return `${journey}\u0000${step}`;
}

/** Compiles a document that passed validation (`validatePolicy`); the document is frozen, not copied. */
export function compilePolicy(document: PolicyDocument, version: string): Policy {
  deepFreeze(document);
  const defaults = document.contactPolicy.defaults;
  const actions: PolicyAction[] = document.actions.map((a, index) => ({
    id: a.id,
    businessUnit: a.businessUnit,
    name: a.name,
    value: a.value,
    lever: a.lever,
    enabled: a.enabled,
    channels: new Set(a.channels),
    cooldownHours: a.cooldownHours ?? defaults.cooldownHours,
    suppressionDays: a.suppressionDays ?? defaults.suppressionDays,
    exploration: a.exploration,
    eligibility: compileRule(a.eligibility, `actions[${index}].eligibility`),
    index,
    document: a,
  }));

  const placements = new Map<string, PolicyAction[]>();
  for (const action of actions) {
    if (!action.enabled) continue;
    for (const placement of action.document.placements) {
      const steps = placement.steps ?? document.journeys[placement.journey] ?? [];
      for (const step of new Set(steps)) {
        const key = placementKey(placement.journey, step);
        const list = placements.get(key) ?? [];
        if (!list.includes(action)) list.push(action);
        placements.set(key, list);
      }
    }
  }

  return {
    version,
    name: document.name,
    document,
    actions,
    actionById: new Map(actions.map((a) => [a.id, a])),
    businessUnits: new Map(
      Object.entries(document.businessUnits).map(([id, unit]) => [
        id,
        { id, weight: unit.weight, maxExplorationShare: unit.maxExplorationShare, caps: unit.caps },
      ]),
    ),
    contextWeights: document.contextWeights.map((w, i) => ({
      source: `contextWeights[${i}]`,
      description: w.description,
      when: compileRule(w.when, `contextWeights[${i}].when`),
      weight: w.weight,
      businessUnit: w.businessUnit,
      actionId: w.actionId,
    })),
    placements,
  };
}
