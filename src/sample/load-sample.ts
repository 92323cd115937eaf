/**
 * Fills the embedded store with a generated sample ending now, so a first run answers with real
 * looking features. Goes through the same ingest path as HTTP (validation included).
 */
import type { FeatureStore } from "../features/feature-store.js";
import type { IngestService } from "../features/ingest-service.js";
import { MAX_BATCH_EVENTS } from "../features/ingest-service.js";
import { generateSample } from "../generator/index.js";

export interface SampleSummary {
  readonly customers: number;
  readonly events: number;
  readonly rejected: number;
  /** A customer with plenty of history, for the example curl. */
  readonly exampleCustomerId: string;
  readonly seconds: number;
}

export async function loadSample(
  deps: { ingestService: IngestService; featureStore: FeatureStore; now?: () => number },
  options: { customers: number; seed: number; days?: number },
): Promise<SampleSummary> {
  const started = performance.now();
  const now = (deps.now ?? Date.now)();
  // One day inside the 90-day horizon, so the oldest events are still accepted a moment later.
  const sample = generateSample({
    customers: options.customers,
    days: options.days ?? 89,
    seed: options.seed,
    end: now,
  });
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < sample.events.length; i += MAX_BATCH_EVENTS) {
    const result = await deps.ingestService.ingest(sample.events.slice(i, i + MAX_BATCH_EVENTS));
    accepted += result.accepted;
    rejected += result.rejected.length;
  }
  await Promise.all(sample.profiles.map((p) => deps.featureStore.putProfile(p.customerId, p.profile)));
  const perCustomer = new Map<string, number>();
  for (const e of sample.events) perCustomer.set(e.customerId, (perCustomer.get(e.customerId) ?? 0) + 1);
  const exampleCustomerId =
    [...perCustomer].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? "c000001";
  return {
    customers: sample.profiles.length,
    events: accepted,
    rejected,
    exampleCustomerId,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
