/**
 * Turns a customer's state and an as-of time into the feature vector, in the plan's name order.
 * Pure; every read path (both stores, the offline builder) ends here.
 */
import type { CustomerState } from "./customer-state.js";
import type { ProfileFeature } from "./feature-definitions.js";
import type { CompiledBehaviourFeature, FeaturePlan } from "./feature-plan.js";
import type { CustomerProfile } from "./profile-schema.js";
import { DAY_MS, windowBucketRange } from "./windows.js";

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

function behaviourValue(
  f: CompiledBehaviourFeature,
  state: CustomerState,
  asOf: number,
  horizonMs: number,
): number {
  if (f.window === undefined) {
    const last = state.last.get(f.series.id);
    const fresh = last !== undefined && last.ts >= asOf - horizonMs;
    if (f.def.aggregation === "daysSinceLast") {
      return fresh ? Math.max(0, (asOf - last.ts) / DAY_MS) : horizonMs / DAY_MS;
    }
    return fresh ? last.value : 0;
  }
  const buckets = state.buckets.get(f.bucketKey!);
  if (!buckets) return 0;
  const { from, to } = windowBucketRange(f.window, asOf);
  const kind = f.series.kind;
  let acc = 0;
  let seen = false;
  // forEach, not for..of: no [index, value] pair allocated per bucket on a decision's hot path.
  buckets.forEach((value, index) => {
    if (index < from || index > to) return;
    if (kind === "max") acc = seen ? Math.max(acc, value) : value;
    else if (kind === "distinct") acc |= value;
    else acc += value;
    seen = true;
  });
  return kind === "distinct" ? popcount(acc) : acc;
}

function profileValue(f: ProfileFeature, profile: CustomerProfile | null): number {
  if (!profile) return 0;
  const v = profile[f.attribute];
  switch (f.transform) {
    case "number":
      return typeof v === "number" ? v : 0;
    case "count":
      return Array.isArray(v) ? v.length : 0;
    case "holds":
      return Array.isArray(v) && (v as readonly string[]).includes(f.value!) ? 1 : 0;
    case "is":
      return v === f.value ? 1 : 0;
  }
}

/** Feature values in `plan.names` order. A null state (unknown customer) yields every default. */
export function computeFeatureVector(
  plan: FeaturePlan,
  state: CustomerState | null,
  asOf: number,
): Float64Array {
  const out = new Float64Array(plan.names.length);
  const behaviour = state ?? EMPTY;
  let i = 0;
  for (const f of plan.behaviour) out[i++] = behaviourValue(f, behaviour, asOf, plan.horizonMs);
  for (const f of plan.profile) out[i++] = profileValue(f, state?.profile ?? null);
  return out;
}

const EMPTY: CustomerState = { buckets: new Map(), last: new Map(), lastEventAt: null, profile: null };

/** Names paired with values, for JSON responses. */
export function featureRecord(plan: FeaturePlan, vector: Float64Array): Record<string, number> {
  const record: Record<string, number> = {};
  plan.names.forEach((name, i) => {
    record[name] = vector[i]!;
  });
  return record;
}
