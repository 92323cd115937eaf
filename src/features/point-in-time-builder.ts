/**
 * The offline half of the feature store: given an event log and (customerId, asOf) rows, returns
 * exactly the vectors the online store would have answered at each asOf, using no event after it.
 * It replays each customer's events through the same update and vector functions as the stores.
 */
import { eventToUpdates } from "./bucket-updates.js";
import { applyUpdates, emptyCustomerState } from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import type { FeaturePlan } from "./feature-plan.js";
import { computeFeatureVector } from "./feature-vector.js";
import type { CustomerProfile } from "./profile-schema.js";

export interface LabelRow {
  readonly customerId: string;
  /** Epoch ms. */
  readonly asOf: number;
}

export interface PointInTimeRow extends LabelRow {
  /** Values in `plan.names` order. */
  readonly vector: Float64Array;
  /** Whether the online store would have known the customer at asOf. */
  readonly known: boolean;
}

/**
 * Rows come back in input order. Events may be in any order; a repeated (customerId, eventId) keeps
 * its first occurrence, as online ingest does. Events are taken at the time the stores keep them
 * (`asIngested`: an event dated ahead of the ingest clock counts from the clock, not from its own
 * time); a log replayed in time order with the clock at each event's time needs no change. Profiles
 * are not versioned: the given profile is used at every asOf.
 */
export function buildPointInTimeFeatures(
  plan: FeaturePlan,
  events: Iterable<BehaviourEvent>,
  rows: readonly LabelRow[],
  profiles: ReadonlyMap<string, CustomerProfile> = new Map(),
): PointInTimeRow[] {
  const wanted = new Set(rows.map((r) => r.customerId));
  const byCustomer = new Map<string, BehaviourEvent[]>();
  const seen = new Set<string>();
  for (const e of events) {
    if (!wanted.has(e.customerId)) continue;
    const key = `${e.customerId}\u0000${e.eventId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const list = byCustomer.get(e.customerId);
    if (list) list.push(e);
    else byCustomer.set(e.customerId, [e]);
  }
  const out: PointInTimeRow[] = new Array(rows.length);
  const rowsByCustomer = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const list = rowsByCustomer.get(r.customerId);
    if (list) list.push(i);
    else rowsByCustomer.set(r.customerId, [i]);
  });
  for (const [customerId, rowIndexes] of rowsByCustomer) {
    const customerEvents = (byCustomer.get(customerId) ?? []).sort((a, b) => a.timestamp - b.timestamp);
    rowIndexes.sort((a, b) => rows[a]!.asOf - rows[b]!.asOf);
    const state = emptyCustomerState();
    state.profile = profiles.get(customerId) ?? null;
    let next = 0;
    for (const rowIndex of rowIndexes) {
      const asOf = rows[rowIndex]!.asOf;
      while (next < customerEvents.length && customerEvents[next]!.timestamp <= asOf) {
        const e = customerEvents[next++]!;
        applyUpdates(state, e.timestamp, e.eventId, eventToUpdates(plan, e));
      }
      // Before its first event (and with no profile) the online store would not know the customer.
      const known = state.lastEventAt !== null || state.profile !== null;
      out[rowIndex] = {
        customerId,
        asOf,
        known,
        vector: computeFeatureVector(plan, known ? state : null, asOf),
      };
    }
  }
  return out;
}
