/**
 * Per-customer rolling counts in UTC-day buckets, the same buckets the feature store uses for its
 * 7d/30d windows, so the behaviour the generator conditions on equals what the features will show.
 */
import type { CustomerProfile } from "../features/profile-schema.js";
import { DAY_MS } from "../features/windows.js";
import type { ObservedBehaviour } from "./ground-truth.js";

/** The window counts of `ObservedBehaviour` (everything but the profile fields), mutable. */
export type WindowCounts = {
  -readonly [K in Exclude<keyof ObservedBehaviour, "tenureMonths" | "productsHeld">]: number;
};

/** Counters kept per day; values index the ring. */
export const COUNTER = {
  cardViews: 0,
  loanViews: 1,
  mortgageViews: 2,
  savingsViews: 3,
  logins: 4,
  serviceCalls: 5,
  complaints: 6,
  offerImpressions: 7,
  appLogins: 8,
  transactions: 9,
  emailOpens: 10,
} as const;
export type Counter = (typeof COUNTER)[keyof typeof COUNTER];

const COUNTERS = 11;
/** A power of two above the longest window (30 days), so a day's slot is `day & (SLOTS - 1)`. */
const SLOTS = 32;

export class RecentActivity {
  // Uint16 keeps 100k customers' rings at ~64 MB; a day never holds 65k events of one kind.
  private readonly counts = new Uint16Array(SLOTS * COUNTERS);
  private readonly slotDay = new Int32Array(SLOTS).fill(-1);

  add(counter: Counter, ts: number): void {
    const day = Math.floor(ts / DAY_MS);
    const slot = day & (SLOTS - 1);
    if (this.slotDay[slot] !== day) {
      this.slotDay[slot] = day;
      this.counts.fill(0, slot * COUNTERS, slot * COUNTERS + COUNTERS);
    }
    const i = slot * COUNTERS + counter;
    if (this.counts[i]! < 0xffff) this.counts[i]!++;
  }

  /** Count over the `days` UTC days ending with the day of `asOf` (the feature store's window rule). */
  sum(counter: Counter, asOf: number, days: number): number {
    const today = Math.floor(asOf / DAY_MS);
    let total = 0;
    for (let day = today - days + 1; day <= today; day++) {
      const slot = day & (SLOTS - 1);
      if (this.slotDay[slot] === day) total += this.counts[slot * COUNTERS + counter]!;
    }
    return total;
  }

  /**
   * Refreshes the window counts of `target` in place (profile fields untouched) in one pass over the
   * ring: the churn hazard needs them every day, and most days of most customers are empty.
   */
  refresh(asOf: number, target: WindowCounts): void {
    const today = Math.floor(asOf / DAY_MS);
    const c = this.counts;
    let card7 = 0;
    let loan7 = 0;
    let mortgage30 = 0;
    let savings30 = 0;
    let logins7 = 0;
    let logins30 = 0;
    let app30 = 0;
    let tx7 = 0;
    let tx30 = 0;
    let email30 = 0;
    let calls30 = 0;
    let complaints30 = 0;
    let impressions7 = 0;
    for (let day = today - 29; day <= today; day++) {
      const slot = day & (SLOTS - 1);
      if (this.slotDay[slot] !== day) continue;
      const b = slot * COUNTERS;
      mortgage30 += c[b + COUNTER.mortgageViews]!;
      savings30 += c[b + COUNTER.savingsViews]!;
      logins30 += c[b + COUNTER.logins]!;
      app30 += c[b + COUNTER.appLogins]!;
      tx30 += c[b + COUNTER.transactions]!;
      email30 += c[b + COUNTER.emailOpens]!;
      calls30 += c[b + COUNTER.serviceCalls]!;
      complaints30 += c[b + COUNTER.complaints]!;
      if (day > today - 7) {
        card7 += c[b + COUNTER.cardViews]!;
        loan7 += c[b + COUNTER.loanViews]!;
        logins7 += c[b + COUNTER.logins]!;
        tx7 += c[b + COUNTER.transactions]!;
        impressions7 += c[b + COUNTER.offerImpressions]!;
      }
    }
    target.cardProductViews7d = card7;
    target.loanProductViews7d = loan7;
    target.mortgageProductViews30d = mortgage30;
    target.savingsProductViews30d = savings30;
    target.logins7d = logins7;
    target.logins30d = logins30;
    target.appLogins30d = app30;
    target.transactions7d = tx7;
    target.transactions30d = tx30;
    target.emailOpens30d = email30;
    target.serviceCalls30d = calls30;
    target.complaints30d = complaints30;
    target.offerImpressions7d = impressions7;
  }

  /** The observed summary at `asOf`: everything recorded so far (the caller records in time order). */
  observe(asOf: number, profile: CustomerProfile): ObservedBehaviour {
    const counts = {} as WindowCounts;
    this.refresh(asOf, counts);
    return { ...counts, tenureMonths: profile.tenureMonths, productsHeld: profile.productsHeld };
  }
}
