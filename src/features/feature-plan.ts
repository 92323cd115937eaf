/**
 * Compiles the declarative feature registry into what the hot paths need: the bucket series each
 * event type feeds, the tiers each series keeps, and each feature's read recipe. Pure and cached.
 */

import { hashString } from "../random/seeded-random.js";
import type { BehaviourFeature, FeatureDefinition, ProfileFeature } from "./feature-definitions.js";
import { FEATURE_DEFINITIONS } from "./feature-definitions.js";
import type { EventType } from "./vocabulary.js";
import { TIER_OF_WINDOW, TIER_WIDTH_MS, type Tier, WINDOW_MS, type Window } from "./windows.js";

/** What a series keeps per bucket: event count, sum or max of a field, bitmask of seen values, or the latest value. */
export type SeriesKind = "count" | "sum" | "max" | "distinct" | "last";

export interface Series {
  /**
   * Short stable id (a hash of `description`), the prefix of this series' Redis fields. Short because
   * it is repeated in every bucket field and every ingest argument. Never contains `|`.
   */
  readonly id: string;
  /** Readable identity, e.g. `count:login:channel=app:`; equal descriptions are one series. */
  readonly description: string;
  readonly kind: SeriesKind;
  readonly eventTypes: readonly EventType[] | "any";
  readonly where: readonly (readonly [string, string])[];
  readonly field: string | undefined;
  readonly tiers: readonly Tier[];
}

export interface CompiledBehaviourFeature {
  readonly def: BehaviourFeature;
  readonly series: Series;
  readonly window: Window | undefined;
  /** `seriesId|tier` of the buckets this feature reads; undefined for last/daysSinceLast. */
  readonly bucketKey: string | undefined;
}

/** One series' buckets of one tier, with how long any window can still see one of them. */
export interface BucketSeries {
  /** `seriesId|tier`, the key of `CustomerState.buckets` and the prefix of the Redis fields. */
  readonly key: string;
  readonly series: Series;
  readonly tier: Tier;
  readonly widthMs: number;
  /** The longest window any feature reads from these buckets (ms). */
  readonly retentionMs: number;
}

export interface FeaturePlan {
  readonly definitions: readonly FeatureDefinition[];
  /** Feature names in vector order (behaviour first, then profile, as declared). */
  readonly names: readonly string[];
  /** A hash of `names`: a logged feature vector says which plan's order its values are in. */
  readonly version: string;
  readonly behaviour: readonly CompiledBehaviourFeature[];
  readonly profile: readonly ProfileFeature[];
  readonly series: readonly Series[];
  /** Every (series, tier) that keeps buckets, in series order. */
  readonly buckets: readonly BucketSeries[];
  /** How far back any feature looks: the longest window. Events older than this are rejected. */
  readonly horizonMs: number;
}

const SERIES_KIND: Record<BehaviourFeature["aggregation"], SeriesKind> = {
  count: "count",
  sum: "sum",
  max: "max",
  distinctCount: "distinct",
  last: "last",
  daysSinceLast: "last",
};

/** The key under which a series keeps one tier's buckets (a Redis field is this plus `|index`). */
export function bucketKeyOf(seriesId: string, tier: Tier): string {
  return `${seriesId}|${tier}`;
}

/** Thrown at start-up when the registry itself is inconsistent: a programming error, not bad input. */
export class FeatureDefinitionError extends Error {}

function checkDefinition(def: BehaviourFeature): void {
  const windowed = def.aggregation !== "last" && def.aggregation !== "daysSinceLast";
  if (windowed && !def.window)
    throw new FeatureDefinitionError(`${def.name}: ${def.aggregation} needs a window`);
  if (!windowed && def.window)
    throw new FeatureDefinitionError(`${def.name}: ${def.aggregation} takes no window`);
  const needsField = def.aggregation === "sum" || def.aggregation === "max" || def.aggregation === "last";
  if (needsField && !def.field)
    throw new FeatureDefinitionError(`${def.name}: ${def.aggregation} needs a field`);
  if (def.aggregation === "distinctCount" && def.field !== "channel") {
    throw new FeatureDefinitionError(`${def.name}: distinctCount is supported over channel only`);
  }
}

function seriesDescription(kind: SeriesKind, def: BehaviourFeature): string {
  const types = def.eventTypes === "any" ? "*" : [...def.eventTypes].sort().join("+");
  const where = Object.entries(def.where ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  return [kind, types, where, kind === "distinct" || kind === "count" ? "" : (def.field ?? "")].join(":");
}

export function compileFeaturePlan(definitions: readonly FeatureDefinition[]): FeaturePlan {
  const names = new Set<string>();
  const seriesById = new Map<string, { base: Omit<Series, "tiers">; tiers: Set<Tier> }>();
  const behaviourDefs: BehaviourFeature[] = [];
  const profile: ProfileFeature[] = [];
  let horizonMs = 0;
  for (const def of definitions) {
    if (names.has(def.name)) throw new FeatureDefinitionError(`feature ${def.name} is defined twice`);
    names.add(def.name);
    if (def.kind === "profile") {
      profile.push(def);
      continue;
    }
    checkDefinition(def);
    behaviourDefs.push(def);
    if (def.window) horizonMs = Math.max(horizonMs, WINDOW_MS[def.window]);
  }
  if (horizonMs === 0) horizonMs = WINDOW_MS["90d"];

  const behaviour = behaviourDefs.map((def) => {
    const kind = SERIES_KIND[def.aggregation];
    const description = seriesDescription(kind, def);
    const id = hashString(description).toString(36);
    let entry = seriesById.get(id);
    if (entry && entry.base.description !== description) {
      throw new FeatureDefinitionError(
        `series ${description} and ${entry.base.description} hash to the same id ${id}`,
      );
    }
    if (!entry) {
      const where = Object.entries(def.where ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
      entry = {
        base: { id, description, kind, eventTypes: def.eventTypes, where, field: def.field },
        tiers: new Set(),
      };
      seriesById.set(id, entry);
    }
    if (def.window) entry.tiers.add(TIER_OF_WINDOW[def.window]);
    return { def, id };
  });
  const series = new Map([...seriesById].map(([id, e]) => [id, { ...e.base, tiers: [...e.tiers].sort() }]));
  const compiled = behaviour.map((b) => compileBehaviour(b.def, series.get(b.id)!));
  const order = [...behaviour.map((b) => b.def.name), ...profile.map((p) => p.name)];
  return {
    definitions,
    names: order,
    version: hashString(order.join("\n")).toString(36),
    behaviour: compiled,
    profile,
    series: [...series.values()],
    buckets: bucketSeriesOf([...series.values()], compiled),
    horizonMs,
  };
}

function compileBehaviour(def: BehaviourFeature, series: Series): CompiledBehaviourFeature {
  const bucketKey = def.window ? bucketKeyOf(series.id, TIER_OF_WINDOW[def.window]) : undefined;
  return { def, series, window: def.window, bucketKey };
}

function bucketSeriesOf(series: readonly Series[], features: readonly CompiledBehaviourFeature[]) {
  return series.flatMap((s) =>
    s.tiers.map((tier): BucketSeries => {
      const key = bucketKeyOf(s.id, tier);
      const windows = features.filter((f) => f.bucketKey === key).map((f) => WINDOW_MS[f.window!]);
      return { key, series: s, tier, widthMs: TIER_WIDTH_MS[tier], retentionMs: Math.max(...windows) };
    }),
  );
}

/** The plan for the project's own registry, compiled once. */
export const FEATURE_PLAN: FeaturePlan = compileFeaturePlan(FEATURE_DEFINITIONS);
