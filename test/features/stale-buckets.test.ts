/**
 * The Redis store drops buckets no window can see (pruning) and never writes them (late events):
 * both must leave every feature vector at or after the writer's clock unchanged.
 */
import { describe, expect, it } from "vitest";
import { eventToUpdates } from "../../src/features/bucket-updates.js";
import {
  applyUpdates,
  type CustomerState,
  emptyCustomerState,
  isStaleUpdate,
  pruneStaleBuckets,
  staleBucketCutoffs,
} from "../../src/features/customer-state.js";
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { computeFeatureVector } from "../../src/features/feature-vector.js";
import { DAY_MS } from "../../src/features/windows.js";
import { generateSample } from "../../src/generator/index.js";

const plan = FEATURE_PLAN;
const END = Date.UTC(2026, 4, 1);
const sample = generateSample({ customers: 60, days: 60, seed: 11, end: END });
const events = (sample.events as BehaviourEvent[]).slice().sort((a, b) => a.timestamp - b.timestamp);
const customers = [...new Set(events.map((e) => e.customerId))];

/** The customer's state from the events `keep` lets through, in event-time order. */
function stateOf(customerId: string, keep: (e: BehaviourEvent) => boolean): CustomerState {
  const state = emptyCustomerState();
  for (const e of events) {
    if (e.customerId === customerId && keep(e))
      applyUpdates(state, e.timestamp, e.eventId, eventToUpdates(plan, e));
  }
  return state;
}

function expectSameVectors(a: CustomerState, b: CustomerState, from: number): void {
  for (const asOf of [from, from + 61_000, from + 3 * 3_600_000 + 7, from + 2 * DAY_MS, from + 40 * DAY_MS]) {
    expect([...computeFeatureVector(plan, b, asOf)]).toEqual([...computeFeatureVector(plan, a, asOf)]);
  }
}

describe("stale buckets", () => {
  it("pruning at now changes no vector at now or later, and does drop buckets", () => {
    let dropped = 0;
    for (const now of [END - 20 * DAY_MS + 1234, END - 5 * DAY_MS, END]) {
      const cutoffs = staleBucketCutoffs(plan, now);
      for (const id of customers) {
        const full = stateOf(id, (e) => e.timestamp <= now);
        const pruned = stateOf(id, (e) => e.timestamp <= now);
        pruneStaleBuckets(pruned, cutoffs);
        const count = (s: CustomerState) => [...s.buckets.values()].reduce((n, m) => n + m.size, 0);
        dropped += count(full) - count(pruned);
        expectSameVectors(full, pruned, now);
      }
    }
    expect(dropped).toBeGreaterThan(100);
  });

  it("skipping updates that are stale when written changes no vector read after the write", () => {
    // Events arrive up to two days late, out of order; each is written at its arrival time and read then.
    const arrival = (e: BehaviourEvent) => e.timestamp + Math.floor(((e.timestamp / 7919) % 2) * DAY_MS);
    const byArrival = events.slice().sort((a, b) => arrival(a) - arrival(b));
    let skipped = 0;
    for (const id of customers) {
      const full = emptyCustomerState();
      const lean = emptyCustomerState();
      for (const e of byArrival) {
        if (e.customerId !== id) continue;
        const at = arrival(e);
        const updates = eventToUpdates(plan, e);
        const cutoffs = staleBucketCutoffs(plan, at);
        const kept = updates.filter((u) => !isStaleUpdate(u, cutoffs));
        skipped += updates.length - kept.length;
        applyUpdates(full, e.timestamp, e.eventId, updates);
        applyUpdates(lean, e.timestamp, e.eventId, kept);
        expect([...computeFeatureVector(plan, lean, at)]).toEqual([...computeFeatureVector(plan, full, at)]);
      }
      expectSameVectors(full, lean, Math.max(...byArrival.filter((e) => e.customerId === id).map(arrival)));
    }
    expect(skipped).toBeGreaterThan(100);
  });
});
