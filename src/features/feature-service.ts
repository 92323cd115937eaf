/** Reads a customer's features as of now: the answer journey engines and the decision pipeline use. */

import type { CustomerState } from "./customer-state.js";
import type { FeaturePlan } from "./feature-plan.js";
import type { FeatureStore } from "./feature-store.js";
import { computeFeatureVector, featureRecord } from "./feature-vector.js";
import type { CustomerProfile } from "./profile-schema.js";

export interface CustomerFeatures {
  readonly customerId: string;
  /** False when the store has nothing for the customer; values are then the defaults. */
  readonly known: boolean;
  readonly asOf: number;
  /** Time of the newest event seen (freshness), or null. */
  readonly lastEventAt: number | null;
  /** Values in `plan.names` order. */
  readonly vector: Float64Array;
  readonly profile: CustomerProfile | null;
}

export class FeatureService {
  constructor(
    readonly plan: FeaturePlan,
    private readonly store: FeatureStore,
    private readonly now: () => number,
  ) {}

  async getFeatures(customerId: string, asOf: number = this.now()): Promise<CustomerFeatures> {
    return this.fromState(customerId, await this.store.readState(customerId), asOf);
  }

  /** The features of a state read elsewhere (e.g. with the contact history, in one call). */
  fromState(customerId: string, state: CustomerState | null, asOf: number): CustomerFeatures {
    return {
      customerId,
      known: state !== null,
      asOf,
      lastEventAt: state?.lastEventAt ?? null,
      vector: computeFeatureVector(this.plan, state, asOf),
      profile: state?.profile ?? null,
    };
  }

  /** Every default, as for an unknown customer, without touching the store (the fallback answer). */
  defaults(customerId: string, asOf: number = this.now()): CustomerFeatures {
    return {
      customerId,
      known: false,
      asOf,
      lastEventAt: null,
      vector: computeFeatureVector(this.plan, null, asOf),
      profile: null,
    };
  }

  /** JSON shape of a read: names with values and ISO times. */
  toJson(f: CustomerFeatures) {
    return {
      customerId: f.customerId,
      known: f.known,
      asOf: new Date(f.asOf).toISOString(),
      lastEventAt: f.lastEventAt === null ? null : new Date(f.lastEventAt).toISOString(),
      features: featureRecord(this.plan, f.vector),
      profile: f.profile,
    };
  }
}
