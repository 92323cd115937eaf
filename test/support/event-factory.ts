/** Small builders for events in tests, so each test states only what matters to it. */
import { randomUUID } from "node:crypto";
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import { DAY_MS } from "../../src/features/windows.js";

/** A bucket-aligned instant (midnight UTC), so window-edge tests can reason in whole buckets. */
export const T0 = Date.UTC(2026, 5, 15);
export { DAY_MS };
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

let counter = 0;

export function uniqueCustomer(label = "c"): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

export function event(
  customerId: string,
  type: BehaviourEvent["type"],
  timestamp: number,
  extra: Partial<BehaviourEvent> = {},
): BehaviourEvent {
  const defaults: Record<string, BehaviourEvent["properties"]> = {
    transaction: { amount: 10 },
    product_view: { businessUnit: "cards" },
    offer_impression: { actionId: "card_cashback", businessUnit: "cards" },
    offer_accept: { actionId: "card_cashback", businessUnit: "cards" },
    offer_reject: { actionId: "card_cashback", businessUnit: "cards" },
  };
  return {
    eventId: `e${++counter}-${randomUUID().slice(0, 6)}`,
    customerId,
    type,
    channel: "web",
    timestamp,
    properties: defaults[type] ?? {},
    ...extra,
  };
}
