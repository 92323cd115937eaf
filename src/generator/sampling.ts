/**
 * Small distribution helpers over the project's seeded `Random`, so every draw in the generator is
 * reproducible from the seed. Kept branch-light because they run tens of millions of times per dataset.
 */
import type { Random } from "../random/seeded-random.js";

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/** Poisson draw by inversion; the rates here are small (< 5), where inversion is cheapest. */
export function poisson(rng: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  let u = rng.next();
  let p = Math.exp(-lambda);
  let k = 0;
  // The zero case dominates (most customers do nothing on most days), so it costs one draw.
  while (u > p && k < 100) {
    u -= p;
    k++;
    p *= lambda / k;
  }
  return k;
}

/** Number of failures before the first success, with success probability `p`. */
export function geometric(rng: Random, p: number): number {
  return Math.floor(Math.log(1 - rng.next()) / Math.log(1 - p));
}

export function bernoulli(rng: Random, p: number): boolean {
  return rng.next() < p;
}

/** Index drawn in proportion to non-negative `weights` (which need not sum to one). */
export function pickWeighted(rng: Random, weights: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

export function uniform(rng: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/** In-place Fisher-Yates shuffle. */
export function shuffle<T>(rng: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}
