/**
 * Time windows and the bucket tiers that serve them. A window is answered from the finest tier
 * that keeps enough buckets, so a window's edge moves in steps of its tier's width:
 * 1h in 5-minute steps, 24h in hourly steps, 7d/30d/90d in daily (UTC) steps.
 */
export const WINDOWS = ["1h", "24h", "7d", "30d", "90d"] as const;
export type Window = (typeof WINDOWS)[number];

export const TIERS = ["m", "h", "d"] as const;
export type Tier = (typeof TIERS)[number];

const MINUTE = 60_000;
export const HOUR_MS = 60 * MINUTE;
export const DAY_MS = 24 * HOUR_MS;

export const TIER_WIDTH_MS: Record<Tier, number> = { m: 5 * MINUTE, h: HOUR_MS, d: DAY_MS };

export const WINDOW_MS: Record<Window, number> = {
  "1h": HOUR_MS,
  "24h": DAY_MS,
  "7d": 7 * DAY_MS,
  "30d": 30 * DAY_MS,
  "90d": 90 * DAY_MS,
};

export const TIER_OF_WINDOW: Record<Window, Tier> = {
  "1h": "m",
  "24h": "h",
  "7d": "d",
  "30d": "d",
  "90d": "d",
};

/** Index of the bucket of `tier` that holds instant `ms` (buckets start at the Unix epoch). */
export function bucketIndex(tier: Tier, ms: number): number {
  return Math.floor(ms / TIER_WIDTH_MS[tier]);
}

/** Inclusive range of bucket indexes that window `w` covers at `asOf`: the current bucket and those before it. */
export function windowBucketRange(w: Window, asOf: number): { tier: Tier; from: number; to: number } {
  const tier = TIER_OF_WINDOW[w];
  const to = bucketIndex(tier, asOf);
  return { tier, from: to - WINDOW_MS[w] / TIER_WIDTH_MS[tier] + 1, to };
}
