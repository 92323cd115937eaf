/**
 * Streams generated customers (events and profiles) straight into the Redis feature store under a
 * key prefix, without holding the whole population: customers are simulated one at a time and their
 * events written in batches, several batches in flight while the next ones are generated.
 */
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { RedisFeatureStore } from "../../src/features/redis-feature-store.js";
import { DAY_MS } from "../../src/features/windows.js";
import { customerIdOf, customerSimulator } from "../../src/generator/index.js";
import { connectRedis } from "../../src/redis/connect.js";

export interface LoadOptions {
  readonly url: string;
  readonly keyPrefix: string;
  readonly customers: number;
  /** Days of behaviour ending now (default 89: inside the 90-day horizon). */
  readonly days?: number;
  readonly seed?: number;
  /** Events per writeEvents call (default 500). */
  readonly batch?: number;
  /** writeEvents calls in flight (default 4). */
  readonly inFlight?: number;
  /** Stops generating (writes in flight still finish). */
  readonly signal?: AbortSignal;
  /** Called about every 10,000 customers. */
  readonly onProgress?: (customers: number, events: number) => void;
}

export interface LoadResult {
  readonly customers: number;
  readonly events: number;
  readonly accepted: number;
  readonly seconds: number;
  /** The customer ids loaded, c000001 ... in order. */
  readonly customerIds: (index: number) => string;
}

export async function loadCustomers(options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const batchSize = options.batch ?? 500;
  const inFlight = options.inFlight ?? 4;
  const store = new RedisFeatureStore(connectRedis(options.url), FEATURE_PLAN, {
    horizonMs: FEATURE_PLAN.horizonMs,
    ttlSeconds: (FEATURE_PLAN.horizonMs + DAY_MS) / 1000,
    now: Date.now,
    keyPrefix: options.keyPrefix,
  });
  const simulate = customerSimulator({
    customers: options.customers,
    days: options.days ?? 89,
    seed: options.seed ?? 1,
    end: Date.now(),
  });
  const pending = new Set<Promise<void>>();
  let events = 0;
  let accepted = 0;
  const send = async (work: () => Promise<void>) => {
    while (pending.size >= inFlight) await Promise.race(pending);
    const p: Promise<void> = work().finally(() => pending.delete(p));
    pending.add(p);
  };
  try {
    let batch: BehaviourEvent[] = [];
    let profiles: { id: string; profile: Parameters<RedisFeatureStore["putProfile"]>[1] }[] = [];
    for (let i = 0; i < options.customers; i++) {
      if (options.signal?.aborted) break;
      const h = simulate(i);
      for (const e of h.events) batch.push(e as BehaviourEvent);
      profiles.push({ id: h.customerId, profile: h.profile });
      if (batch.length >= batchSize || i === options.customers - 1) {
        const b = batch;
        const ps = profiles;
        batch = [];
        profiles = [];
        events += b.length;
        await send(async () => {
          const outcomes = await store.writeEvents(b);
          for (const o of outcomes) if (o === "accepted") accepted++;
          await Promise.all(ps.map((p) => store.putProfile(p.id, p.profile)));
        });
      }
      if ((i + 1) % 10_000 === 0) options.onProgress?.(i + 1, events);
    }
    await Promise.all(pending);
  } finally {
    await store.close();
  }
  return {
    customers: options.customers,
    events,
    accepted,
    seconds: (performance.now() - started) / 1000,
    customerIds: customerIdOf,
  };
}
