/**
 * What a decision reads about its customer before its stages run: the features as of the decision
 * and the contact history. One interface, two ways: a read from each store (the embedded default), or
 * one Redis script call for both (redis-customer-inputs.ts), because on this machine each command
 * and socket write is a large part of a decision's client CPU.
 */
import type { CustomerFeatures, FeatureService } from "../features/feature-service.js";
import type { ContactHistory } from "./contact-history.js";
import type { ContactStore } from "./contact-store.js";

export interface CustomerInputs {
  readonly features: CustomerFeatures;
  readonly history: ContactHistory;
}

export interface CustomerInputsReader {
  read(customerId: string, now: number): Promise<CustomerInputs>;
}

/** A read from each store, in parallel. */
export function readEachStore(features: FeatureService, contacts: ContactStore): CustomerInputsReader {
  return {
    read: async (customerId, now) => {
      const [f, history] = await Promise.all([
        features.getFeatures(customerId, now),
        contacts.history(customerId, now),
      ]);
      return { features: f, history };
    },
  };
}
