/**
 * Label building never leaks the future: a hand-made log with events before, at and after the
 * label time, and a generated sample where dropping every event at or after a row's time must
 * not change that row's features.
 */
import { describe, expect, it } from "vitest";
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { buildPointInTimeFeatures } from "../../src/features/point-in-time-builder.js";
import type { CustomerProfile } from "../../src/features/profile-schema.js";
import { DAY_MS, HOUR_MS } from "../../src/features/windows.js";
import { type CustomerTruth, generateSample, type OfferRecord } from "../../src/generator/index.js";
import {
  churnDecisions,
  featuresBefore,
  propensityDecisions,
} from "../../src/training/data/generated-rows.js";

const T = Date.UTC(2025, 11, 2);
const feature = (vector: Float64Array, name: string) => vector[FEATURE_PLAN.names.indexOf(name)];

let seq = 0;
function event(
  type: BehaviourEvent["type"],
  timestamp: number,
  properties: BehaviourEvent["properties"] = {},
): BehaviourEvent {
  return { eventId: `e${++seq}`, customerId: "c1", type, channel: "app", timestamp, properties };
}

function truth(customerId: string, active: boolean, churned: boolean): CustomerTruth {
  return {
    customerId,
    labelTime: T,
    activeAtLabelTime: active,
    churnProbability: active ? 0.1 : null,
    churnedInLabelWindow: churned,
    churned,
    churnedAt: churned ? T + 3 * DAY_MS : null,
  } as unknown as CustomerTruth;
}

const events: BehaviourEvent[] = [
  event("login", T - 2 * DAY_MS),
  event("complaint", T - HOUR_MS),
  event("login", T), // at T itself: not before T
  event("complaint", T + HOUR_MS),
  event("offer_impression", T + 3 * DAY_MS, { actionId: "card_cashback", businessUnit: "cards" }),
  event("offer_impression", T + 4 * DAY_MS, { actionId: "loan_car", businessUnit: "loans" }),
  event("login", T + 5 * DAY_MS),
];
const profiles = new Map<string, CustomerProfile>([
  ["c1", { tenureMonths: 30, age: 40, segment: "mass", productsHeld: ["current_account"] }],
]);

describe("churn labels", () => {
  it("keeps customers active at T and counts only events strictly before T", () => {
    const decisions = churnDecisions([truth("c1", true, true), truth("c2", false, false)]);
    expect(decisions).toEqual([{ customerId: "c1", time: T, label: 1, truth: 0.1 }]);
    const [v] = featuresBefore(FEATURE_PLAN, events, decisions, profiles);
    expect(feature(v!, "logins_30d")).toBe(1);
    expect(feature(v!, "complaints_30d")).toBe(1);
    expect(feature(v!, "events_90d")).toBe(2);
    expect(feature(v!, "offer_impressions_30d")).toBe(0);
    expect(feature(v!, "tenure_months")).toBe(30);
  });
});

describe("propensity labels", () => {
  it("builds each impression's features from the events before it, never the impression itself", () => {
    const offers = [
      {
        customerId: "c1",
        eventId: "e5",
        actionId: "card_cashback",
        businessUnit: "cards",
        channel: "app",
        timestamp: T + 3 * DAY_MS,
        propensity: 0.1,
        acceptProbability: 0.05,
        accepted: false,
      },
      {
        customerId: "c1",
        eventId: "e6",
        actionId: "loan_car",
        businessUnit: "loans",
        channel: "app",
        timestamp: T + 4 * DAY_MS,
        propensity: 0.1,
        acceptProbability: 0.2,
        accepted: true,
      },
    ] as OfferRecord[];
    const decisions = propensityDecisions(offers);
    expect(decisions.map((d) => [d.label, d.truth, d.action?.actionId])).toEqual([
      [0, 0.05, "card_cashback"],
      [1, 0.2, "loan_car"],
    ]);
    const [first, second] = featuresBefore(FEATURE_PLAN, events, decisions, profiles);
    expect(feature(first!, "offer_impressions_7d")).toBe(0);
    expect(feature(first!, "logins_30d")).toBe(2);
    expect(feature(first!, "complaints_30d")).toBe(2);
    expect(feature(second!, "offer_impressions_7d")).toBe(1);
    expect(feature(second!, "logins_30d")).toBe(2); // the login at T + 5 days is later
  });
});

describe("on generated data", () => {
  const sample = generateSample({ customers: 150, days: 60, seed: 5, end: Date.UTC(2026, 0, 1) });
  const all = sample.events as BehaviourEvent[];
  const profilesOf = new Map(sample.profiles.map((p) => [p.customerId, p.profile]));

  it("churn features do not change when every event at or after T is removed", () => {
    const decisions = churnDecisions(sample.customers);
    const withFuture = featuresBefore(FEATURE_PLAN, all, decisions, profilesOf);
    const past = all.filter((e) => e.timestamp < sample.summary.labelTime);
    const withoutFuture = featuresBefore(FEATURE_PLAN, past, decisions, profilesOf);
    expect(withFuture.length).toBeGreaterThan(100);
    expect(withFuture).toEqual(withoutFuture);
  });

  it("propensity features do not change when the impression and everything after it are removed", () => {
    const decisions = propensityDecisions(sample.offers)
      .filter((_, i) => i % 5 === 0)
      .slice(0, 50);
    const full = featuresBefore(FEATURE_PLAN, all, decisions, profilesOf);
    decisions.forEach((d, i) => {
      const past = all.filter((e) => e.customerId === d.customerId && e.timestamp < d.time);
      const [alone] = featuresBefore(FEATURE_PLAN, past, [d], profilesOf);
      expect(alone).toEqual(full[i]);
    });
    expect(decisions.length).toBe(50);
  });

  it("gives the shared builder's vectors when built in chunks with progress", () => {
    const sample = generateSample({ customers: 300, days: 60, seed: 5, end: T });
    const profilesOf = new Map(sample.profiles.map((p) => [p.customerId, p.profile]));
    const decisions = propensityDecisions(sample.offers);
    const direct = buildPointInTimeFeatures(
      FEATURE_PLAN,
      sample.events as BehaviourEvent[],
      decisions.map((d) => ({ customerId: d.customerId, asOf: d.time - 1 })),
      profilesOf,
    ).map((r) => r.vector);
    const done: number[] = [];
    const chunked = featuresBefore(
      FEATURE_PLAN,
      sample.events as BehaviourEvent[],
      decisions,
      profilesOf,
      (p) => {
        expect(p).toMatchObject({ phase: "features", total: decisions.length });
        done.push(p.done);
      },
    );
    expect(chunked).toEqual(direct);
    expect(done.length).toBeGreaterThan(2);
    expect(done.at(-1)).toBe(decisions.length);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });
});
