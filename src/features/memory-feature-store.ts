/**
 * The embedded default store: the same state and rules as Redis, kept in process memory, so a first
 * run needs nothing installed. It passes the same contract suite as the Redis store.
 */
import { eventToUpdates } from "./bucket-updates.js";
import {
  applyUpdates,
  type CustomerState,
  copyCustomerState,
  emptyCustomerState,
  pruneState,
} from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import type { FeaturePlan } from "./feature-plan.js";
import type { FeatureStore, FeatureStoreOptions, WriteOutcome } from "./feature-store.js";
import type { CustomerProfile } from "./profile-schema.js";
import { DAY_MS } from "./windows.js";

interface Entry {
  readonly state: CustomerState;
  /** eventId -> event time, for idempotency inside the horizon. */
  readonly seen: Map<string, number>;
  /** When behaviour data expires (epoch ms); profiles do not. */
  expiresAt: number;
  prunedWeek: number;
}

export class MemoryFeatureStore implements FeatureStore {
  readonly kind = "memory";
  private readonly customers = new Map<string, Entry>();

  constructor(
    private readonly plan: FeaturePlan,
    private readonly options: FeatureStoreOptions,
  ) {}

  async writeEvents(events: readonly BehaviourEvent[]): Promise<WriteOutcome[]> {
    const now = this.options.now();
    const week = Math.floor(now / (7 * DAY_MS));
    const horizonStart = now - this.options.horizonMs;
    return events.map((event) => {
      const entry = this.live(event.customerId, now) ?? this.create(event.customerId);
      if (entry.seen.has(event.eventId)) return "duplicate";
      entry.seen.set(event.eventId, event.timestamp);
      applyUpdates(entry.state, event.timestamp, event.eventId, eventToUpdates(this.plan, event));
      if (entry.prunedWeek !== week) {
        pruneState(entry.state, horizonStart);
        for (const [id, ts] of entry.seen) if (ts < horizonStart) entry.seen.delete(id);
        entry.prunedWeek = week;
      }
      entry.expiresAt = now + this.options.ttlSeconds * 1000;
      return "accepted";
    });
  }

  async putProfile(customerId: string, profile: CustomerProfile): Promise<void> {
    const entry = this.live(customerId, this.options.now()) ?? this.create(customerId);
    // Frozen: reads hand out the same profile object (copyCustomerState), so nobody may edit it in place.
    const stored = structuredClone(profile);
    Object.freeze(stored.productsHeld);
    entry.state.profile = Object.freeze(stored);
  }

  async readState(customerId: string): Promise<CustomerState | null> {
    const entry = this.live(customerId, this.options.now());
    // A copy, so callers cannot reach into the store (Redis hands out copies too).
    return entry ? copyCustomerState(entry.state) : null;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.customers.clear();
  }

  /** The entry, after dropping expired behaviour data (the profile survives, as in Redis). */
  private live(customerId: string, now: number): Entry | undefined {
    const entry = this.customers.get(customerId);
    if (!entry || entry.expiresAt > now) return entry;
    const profile = entry.state.profile;
    if (!profile) {
      this.customers.delete(customerId);
      return undefined;
    }
    const fresh = this.create(customerId);
    fresh.state.profile = profile;
    return fresh;
  }

  private create(customerId: string): Entry {
    const entry: Entry = {
      state: emptyCustomerState(),
      seen: new Map(),
      expiresAt: Number.POSITIVE_INFINITY,
      prunedWeek: -1,
    };
    this.customers.set(customerId, entry);
    return entry;
  }
}
