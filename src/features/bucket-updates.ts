/**
 * Turns one event into the bucket updates it causes, for every series it feeds. Pure: the stores
 * and the offline builder all call this, which is what keeps online and offline features equal.
 */
import type { BehaviourEvent } from "./event-schema.js";
import type { FeaturePlan, Series } from "./feature-plan.js";
import { CHANNELS } from "./vocabulary.js";
import { bucketIndex, type Tier } from "./windows.js";

export type BucketUpdate =
  | {
      readonly op: "incr" | "add" | "max" | "or";
      readonly seriesId: string;
      readonly tier: Tier;
      readonly index: number;
      readonly value: number;
    }
  | { readonly op: "last"; readonly seriesId: string; readonly value: number };

function matches(series: Series, event: BehaviourEvent): boolean {
  if (series.eventTypes !== "any" && !series.eventTypes.includes(event.type)) return false;
  for (const [key, expected] of series.where) {
    const actual = key === "channel" ? event.channel : event.properties[key];
    if (String(actual) !== expected) return false;
  }
  return true;
}

function numericField(event: BehaviourEvent, field: string | undefined): number | undefined {
  if (field === undefined) return 1;
  const v = event.properties[field];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Counts are integers (`incr`, HINCRBY in Redis); sums are floats (`add`, HINCRBYFLOAT). */
const OP_OF_KIND = { count: "incr", sum: "add", max: "max", distinct: "or" } as const;

export function eventToUpdates(plan: FeaturePlan, event: BehaviourEvent): BucketUpdate[] {
  const updates: BucketUpdate[] = [];
  for (const series of plan.series) {
    if (!matches(series, event)) continue;
    if (series.kind === "last") {
      const value = numericField(event, series.field);
      if (value !== undefined) updates.push({ op: "last", seriesId: series.id, value });
      continue;
    }
    let value: number | undefined;
    if (series.kind === "count") value = 1;
    else if (series.kind === "distinct") value = 1 << CHANNELS.indexOf(event.channel);
    else value = numericField(event, series.field);
    if (value === undefined) continue;
    const op = OP_OF_KIND[series.kind];
    for (const tier of series.tiers) {
      updates.push({ op, seriesId: series.id, tier, index: bucketIndex(tier, event.timestamp), value });
    }
  }
  return updates;
}
