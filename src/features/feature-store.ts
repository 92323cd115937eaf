/**
 * The one interface every feature store implements (Redis in production, in-memory as the embedded
 * default). Both pass `test/features/feature-store.contract.ts`.
 */
import type { CustomerState } from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import type { CustomerProfile } from "./profile-schema.js";

export type WriteOutcome = "accepted" | "duplicate";

export interface FeatureStore {
  /** Which implementation this is, for /readyz and logs. */
  readonly kind: "redis" | "memory";
  /**
   * Applies already validated events (each within the horizon and none dated after `now`, see
   * `asIngested`) and returns one outcome per event, in input order. Idempotent by (customerId,
   * eventId) for as long as the event is inside the horizon: an id seen before, in this call or an
   * earlier one, is a `duplicate` and changes nothing.
   * Concurrent calls for one customer never lose an update.
   */
  writeEvents(events: readonly BehaviourEvent[]): Promise<WriteOutcome[]>;
  /** Replaces the customer's profile. Profiles do not expire. */
  putProfile(customerId: string, profile: CustomerProfile): Promise<void>;
  /** The customer's state, or null when the store has neither events nor a profile for them. */
  readState(customerId: string): Promise<CustomerState | null>;
  /** Resolves true when the backing store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface FeatureStoreOptions {
  /** Longest feature window: events and buckets older than now - horizon are dropped. */
  readonly horizonMs: number;
  /** Seconds a customer's behaviour data lives after its last write (longer than the horizon). */
  readonly ttlSeconds: number;
  /** The clock, injectable so tests can replay history. Epoch ms. */
  readonly now: () => number;
}
