/**
 * A customer's aggregated behaviour as the stores keep it: sparse time buckets per series and tier,
 * the latest value per `last` series, and the profile. The memory store and the offline builder
 * mutate it with `applyUpdates`; the Redis store applies the same updates in Lua and parses them back.
 */

import type { BucketUpdate } from "./bucket-updates.js";
import { bucketKeyOf } from "./feature-plan.js";
import type { CustomerProfile } from "./profile-schema.js";
import { TIER_WIDTH_MS, type Tier } from "./windows.js";

export interface LastValue {
  readonly ts: number;
  readonly eventId: string;
  readonly value: number;
}

export interface CustomerState {
  /** `seriesId|tier` -> bucket index -> aggregate. */
  readonly buckets: Map<string, Map<number, number>>;
  /** seriesId -> latest value by event time (ties broken by the larger eventId). */
  readonly last: Map<string, LastValue>;
  lastEventAt: number | null;
  profile: CustomerProfile | null;
}

export function emptyCustomerState(): CustomerState {
  return { buckets: new Map(), last: new Map(), lastEventAt: null, profile: null };
}

/** True when (ts, eventId) is newer than `current`: the write-if-newer rule every store uses. */
export function isNewer(ts: number, eventId: string, current: LastValue | undefined): boolean {
  return current === undefined || ts > current.ts || (ts === current.ts && eventId > current.eventId);
}

/** Applies one event's updates in place. The Redis Lua script implements exactly these rules. */
export function applyUpdates(
  state: CustomerState,
  ts: number,
  eventId: string,
  updates: readonly BucketUpdate[],
): void {
  for (const u of updates) {
    if (u.op === "last") {
      if (isNewer(ts, eventId, state.last.get(u.seriesId)))
        state.last.set(u.seriesId, { ts, eventId, value: u.value });
      continue;
    }
    const key = bucketKeyOf(u.seriesId, u.tier);
    let buckets = state.buckets.get(key);
    if (!buckets) {
      buckets = new Map();
      state.buckets.set(key, buckets);
    }
    const current = buckets.get(u.index);
    if (u.op === "add" || u.op === "incr") buckets.set(u.index, (current ?? 0) + u.value);
    else if (u.op === "max")
      buckets.set(u.index, current === undefined ? u.value : Math.max(current, u.value));
    else buckets.set(u.index, (current ?? 0) | u.value);
  }
  if (state.lastEventAt === null || ts > state.lastEventAt) state.lastEventAt = ts;
}

/** Drops buckets that end at or before `horizonStart` and last values older than it. */
export function pruneState(state: CustomerState, horizonStart: number): void {
  for (const [key, buckets] of state.buckets) {
    const width = TIER_WIDTH_MS[key.slice(key.lastIndexOf("|") + 1) as Tier];
    for (const index of buckets.keys()) if ((index + 1) * width <= horizonStart) buckets.delete(index);
    if (buckets.size === 0) state.buckets.delete(key);
  }
  for (const [id, last] of state.last) if (last.ts < horizonStart) state.last.delete(id);
}
