/**
 * The rows the generator writes, and a fast JSON encoder for events: four million `JSON.stringify`
 * calls are a large share of a 100k-customer run, and every field here is a known-safe string or number.
 */

import type { CustomerProfile } from "../features/profile-schema.js";
import type { BusinessUnit, Channel, EventType } from "../features/vocabulary.js";
import type { ActionId } from "./action-catalogue.js";
import type { LatentCustomer } from "./customer-traits.js";
import type { ObservedBehaviour } from "./ground-truth.js";

/** Properties in the fixed order the encoder writes them. */
export interface EventProperties {
  businessUnit?: BusinessUnit;
  productId?: string;
  actionId?: ActionId;
  amount?: number;
}

/** A behaviour event as written to events.jsonl; valid under `behaviourEventSchema`. */
export interface GeneratedEvent {
  readonly eventId: string;
  readonly customerId: string;
  readonly type: EventType;
  readonly channel: Channel;
  /** Epoch milliseconds. */
  readonly timestamp: number;
  readonly properties: EventProperties;
}

/** One offer impression and its outcome, beside the true probabilities. */
export interface OfferRecord {
  readonly customerId: string;
  /** The offer_impression event this row describes. */
  readonly eventId: string;
  readonly actionId: ActionId;
  readonly businessUnit: BusinessUnit;
  readonly channel: Channel;
  readonly timestamp: number;
  /** Probability that the logging policy picked this action (for off-policy evaluation). */
  readonly propensity: number;
  /** True acceptance probability at the time of the impression. */
  readonly acceptProbability: number;
  readonly accepted: boolean;
}

export interface ProfileRecord {
  readonly customerId: string;
  readonly profile: CustomerProfile;
}

/** Ground truth per customer (customers.jsonl). */
export interface CustomerTruth {
  readonly customerId: string;
  /** Traits with satisfaction and engagement as at the label time (or at churn, for those gone before it). */
  readonly traits: LatentCustomer;
  readonly labelTime: number;
  /** False when the customer churned at or before the label time (not in the churn-label population). */
  readonly activeAtLabelTime: boolean;
  /** What the bank could observe at the label time; null when not active then. */
  readonly observedAtLabelTime: ObservedBehaviour | null;
  /** True P(churn in (labelTime, labelTime + horizon]); null when not active at the label time. */
  readonly churnProbability: number | null;
  readonly churned: boolean;
  readonly churnedAt: number | null;
  /** The realised label: churned in (labelTime, labelTime + horizon]. */
  readonly churnedInLabelWindow: boolean;
}

/** Orders events by time, then event id (the order of events.jsonl). */
export function compareEvents(a: GeneratedEvent, b: GeneratedEvent): number {
  return a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

export function compareOffers(a: OfferRecord, b: OfferRecord): number {
  return a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/**
 * Same text as `JSON.stringify(event)` for the events this generator builds: ids and vocabulary
 * values never need escaping, and property keys are always created in `EventProperties` order.
 */
export function encodeEvent(e: GeneratedEvent): string {
  const p = e.properties;
  let props = "";
  if (p.businessUnit !== undefined) props += `,"businessUnit":"${p.businessUnit}"`;
  if (p.productId !== undefined) props += `,"productId":"${p.productId}"`;
  if (p.actionId !== undefined) props += `,"actionId":"${p.actionId}"`;
  if (p.amount !== undefined) props += `,"amount":${p.amount}`;
  return `{"eventId":"${e.eventId}","customerId":"${e.customerId}","type":"${e.type}","channel":"${e.channel}","timestamp":${e.timestamp},"properties":{${props.slice(1)}}}`;
}
