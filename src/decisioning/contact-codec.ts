/**
 * The packed contact history string that record-contacts-1.lua writes: one line per entry,
 *   "i <ts> <actionId> <businessUnit> <channel>"  an impression
 *   "r <ts> <actionId>"                           the latest rejection of an action
 * One GET returns it as one reply element, which is what keeps the decision hot path cheap.
 */
import type { ContactHistory, Impression } from "./contact-history.js";
import { EMPTY_CONTACT_HISTORY } from "./contact-history.js";

export function decodeContactHistory(packed: string | null): ContactHistory {
  if (!packed) return EMPTY_CONTACT_HISTORY;
  const impressions: Impression[] = [];
  const rejections = new Map<string, number>();
  for (const line of packed.split("\n")) {
    const f = line.split(" ");
    if (f[0] === "i" && f.length === 5) {
      impressions.push({ ts: Number(f[1]), actionId: f[2]!, businessUnit: f[3]!, channel: f[4]! });
    } else if (f[0] === "r" && f.length === 3) {
      rejections.set(f[2]!, Number(f[1]));
    }
  }
  return { impressions, rejections };
}

const TOKEN = /^\S+$/;

/** Ids are space-separated in the packed string, so they may not contain whitespace. */
export function assertContactToken(value: string, what: string): void {
  if (!TOKEN.test(value))
    throw new TypeError(`${what} ${JSON.stringify(value)} must be non-empty without whitespace`);
}
