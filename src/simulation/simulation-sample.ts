/**
 * Customers to simulate on: a seeded generated sample (features as of now via the offline
 * point-in-time builder, contact history from its generated offers), or real customers read from the
 * feature store. Nothing here writes anywhere.
 */
import type { ContactHistory, Impression } from "../decisioning/contact-history.js";
import type { BehaviourEvent } from "../features/event-schema.js";
import type { FeaturePlan } from "../features/feature-plan.js";
import type { CustomerFeatures, FeatureService } from "../features/feature-service.js";
import { buildPointInTimeFeatures } from "../features/point-in-time-builder.js";
import { DAY_MS } from "../features/windows.js";
import { generateSample } from "../generator/index.js";

export interface SimulatedCustomer {
  readonly features: CustomerFeatures;
  readonly history: ContactHistory;
}

/** `customers` generated customers with `days` of history ending at `now`. Deterministic for a seed. */
export function generatedCustomers(
  plan: FeaturePlan,
  options: { customers: number; seed: number; now: number; days?: number },
): SimulatedCustomer[] {
  const sample = generateSample({
    customers: options.customers,
    days: options.days ?? 60,
    seed: options.seed,
    end: options.now,
  });
  const profiles = new Map(sample.profiles.map((p) => [p.customerId, p.profile]));
  const rows = buildPointInTimeFeatures(
    plan,
    sample.events as BehaviourEvent[],
    sample.profiles.map((p) => ({ customerId: p.customerId, asOf: options.now })),
    profiles,
  );
  const impressions = new Map<string, Impression[]>();
  const rejections = new Map<string, Map<string, number>>();
  for (const o of sample.offers) {
    if (o.timestamp < options.now - 30 * DAY_MS) continue;
    const list = impressions.get(o.customerId) ?? [];
    list.push({ actionId: o.actionId, businessUnit: o.businessUnit, channel: o.channel, ts: o.timestamp });
    impressions.set(o.customerId, list);
  }
  for (const e of sample.events) {
    if (e.type !== "offer_reject" || typeof e.properties.actionId !== "string") continue;
    const m = rejections.get(e.customerId) ?? new Map<string, number>();
    m.set(e.properties.actionId, Math.max(m.get(e.properties.actionId) ?? 0, e.timestamp));
    rejections.set(e.customerId, m);
  }
  return rows.map((r) => ({
    features: {
      customerId: r.customerId,
      known: r.known,
      asOf: r.asOf,
      lastEventAt: null,
      vector: r.vector,
      profile: profiles.get(r.customerId) ?? null,
    },
    history: {
      impressions: impressions.get(r.customerId) ?? [],
      rejections: rejections.get(r.customerId) ?? new Map(),
    },
  }));
}

/** Real customers' current features from the store (read only); their contact history starts empty. */
export async function storedCustomers(
  featureService: FeatureService,
  customerIds: readonly string[],
): Promise<SimulatedCustomer[]> {
  const empty: ContactHistory = { impressions: [], rejections: new Map() };
  return Promise.all(
    customerIds.map(async (id) => ({ features: await featureService.getFeatures(id), history: empty })),
  );
}
