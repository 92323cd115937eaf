/**
 * Per-customer rolling counts in UTC-day buckets, the same buckets the feature store uses for its
 * 7d/30d windows, so the behaviour the generator conditions on equals what the features will show.
 */
import type { CustomerProfile } from "../features/profile-schema.js";
import { DAY_MS } from "../features/windows.js";
import type { ObservedBehaviour } from "./ground-truth.js";

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
} as const;
export type Counter = (typeof COUNTER)[keyof typeof COUNTER];

const COUNTERS = 8;
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

  /** The observed summary at `asOf`: everything recorded so far (the caller records in time order). */
  observe(asOf: number, profile: CustomerProfile): ObservedBehaviour {
    return {
      cardProductViews7d: this.sum(COUNTER.cardViews, asOf, 7),
      loanProductViews7d: this.sum(COUNTER.loanViews, asOf, 7),
      mortgageProductViews30d: this.sum(COUNTER.mortgageViews, asOf, 30),
      savingsProductViews30d: this.sum(COUNTER.savingsViews, asOf, 30),
      logins30d: this.sum(COUNTER.logins, asOf, 30),
      serviceCalls30d: this.sum(COUNTER.serviceCalls, asOf, 30),
      complaints30d: this.sum(COUNTER.complaints, asOf, 30),
      offerImpressions7d: this.sum(COUNTER.offerImpressions, asOf, 7),
      tenureMonths: profile.tenureMonths,
      productsHeld: profile.productsHeld,
    };
  }
}
