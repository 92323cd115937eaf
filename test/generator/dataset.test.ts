import { describe, expect, it } from "vitest";
import { behaviourEventSchema } from "../../src/features/event-schema.js";
import { customerProfileSchema } from "../../src/features/profile-schema.js";
import { DAY_MS } from "../../src/features/windows.js";
import {
  churnProbability,
  compareEvents,
  DEFAULT_END,
  encodeEvent,
  type GeneratedEvent,
  generateSample,
  getAction,
} from "../../src/generator/index.js";

const options = { customers: 200, days: 90, seed: 42, end: DEFAULT_END };
const sample = generateSample(options);

function byCustomer(events: readonly GeneratedEvent[]): Map<string, GeneratedEvent[]> {
  const map = new Map<string, GeneratedEvent[]>();
  for (const e of events) {
    const list = map.get(e.customerId) ?? [];
    list.push(e);
    map.set(e.customerId, list);
  }
  return map;
}

describe("generateSample", () => {
  it("reports its progress in customers, and the sample is the same with or without a listener", () => {
    const seen: { phase: string; done: number; total: number }[] = [];
    const small = { customers: 2500, days: 30, seed: 7, end: DEFAULT_END };
    const reported = generateSample(small, (p) => seen.push(p));
    expect(seen.map((p) => p.done)).toEqual([1000, 2000, 2500]);
    expect(seen.every((p) => p.phase === "simulate" && p.total === 2500)).toBe(true);
    expect(reported.events).toEqual(generateSample(small).events);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const again = generateSample(options);
    expect(JSON.stringify(again)).toBe(JSON.stringify(sample));
    const other = generateSample({ ...options, seed: 43 });
    expect(other.events.length).not.toBe(sample.events.length);
    expect(JSON.stringify(other.customers[0]!.traits)).not.toBe(JSON.stringify(sample.customers[0]!.traits));
  });

  it("gives a customer the same history however many customers are generated", () => {
    const small = generateSample({ ...options, customers: 50 });
    const ids = new Set(small.profiles.map((p) => p.customerId));
    expect(small.events).toEqual(sample.events.filter((e) => ids.has(e.customerId)));
    expect(small.customers).toEqual(sample.customers.slice(0, 50));
  });

  it("emits only events valid under behaviourEventSchema, inside the window", () => {
    const start = DEFAULT_END - 90 * DAY_MS;
    for (const e of sample.events) {
      const parsed = behaviourEventSchema.safeParse(e);
      if (!parsed.success) throw new Error(`${e.eventId}: ${parsed.error.message}`);
      expect(e.timestamp).toBeGreaterThanOrEqual(start);
      expect(e.timestamp).toBeLessThan(DEFAULT_END);
    }
    expect(new Set(sample.events.map((e) => e.eventId)).size).toBe(sample.events.length);
    expect(new Set(sample.events.map((e) => e.type)).size).toBe(11);
  });

  it("encodes events exactly like JSON.stringify", () => {
    for (const e of sample.events.slice(0, 3000)) expect(encodeEvent(e)).toBe(JSON.stringify(e));
  });

  it("writes profiles valid under customerProfileSchema, one per customer, with ids like c000123", () => {
    expect(sample.profiles.map((p) => p.customerId)).toEqual(sample.customers.map((c) => c.customerId));
    expect(sample.profiles[122]!.customerId).toBe("c000123");
    for (const p of sample.profiles) expect(customerProfileSchema.parse(p.profile)).toEqual(p.profile);
    expect(new Set(sample.profiles.map((p) => p.profile.segment)).size).toBeGreaterThanOrEqual(4);
  });

  it("sorts events by timestamp, then eventId", () => {
    for (let i = 1; i < sample.events.length; i++) {
      expect(compareEvents(sample.events[i - 1]!, sample.events[i]!)).toBeLessThan(0);
    }
  });

  it("has heavy-tailed activity averaging 30-60 events per customer", () => {
    const counts = [...byCustomer(sample.events).values()].map((l) => l.length).sort((a, b) => a - b);
    const mean = sample.events.length / options.customers;
    expect(mean).toBeGreaterThan(30);
    expect(mean).toBeLessThan(60);
    expect(counts.at(-1)!).toBeGreaterThan(4 * counts[Math.floor(counts.length / 2)]!);
  });

  it("stops a churned customer's events before churnedAt and labels churn in (T, T + 30d]", () => {
    const events = byCustomer(sample.events);
    const labelTime = DEFAULT_END - 30 * DAY_MS;
    expect(sample.customers.filter((c) => c.churned).length).toBeGreaterThan(5);
    for (const c of sample.customers) {
      expect(c.labelTime).toBe(labelTime);
      const last = events.get(c.customerId)?.at(-1)?.timestamp ?? 0;
      if (c.churnedAt !== null) expect(last).toBeLessThan(c.churnedAt);
      expect(c.churned).toBe(c.churnedAt !== null);
      expect(c.churnedInLabelWindow).toBe(c.churnedAt !== null && c.churnedAt > labelTime);
      expect(c.activeAtLabelTime).toBe(c.churnedAt === null || c.churnedAt > labelTime);
    }
  });

  it("writes a churn probability that the ground-truth function reproduces from the stored state", () => {
    for (const c of sample.customers) {
      if (!c.activeAtLabelTime) {
        expect(c.churnProbability).toBeNull();
        continue;
      }
      expect(c.churnProbability).toBe(churnProbability(c.traits, c.observedAtLabelTime!));
      expect(c.churnProbability).toBeGreaterThan(0);
      expect(c.churnProbability).toBeLessThan(1);
    }
  });

  it("observes at the label time exactly what the events show in the feature windows", () => {
    const events = byCustomer(sample.events);
    const labelTime = DEFAULT_END - 30 * DAY_MS;
    // The label-time windows end with the day before the label time (what features show just before it).
    const labelDay = Math.floor((labelTime - 1) / DAY_MS);
    const inWindow = (e: GeneratedEvent, days: number) =>
      e.timestamp < labelTime && Math.floor(e.timestamp / DAY_MS) > labelDay - days;
    let logins = 0;
    for (const c of sample.customers.filter((x) => x.activeAtLabelTime)) {
      const mine = events.get(c.customerId) ?? [];
      const count = (type: string, days: number, unit?: string) =>
        mine.filter(
          (e) => e.type === type && inWindow(e, days) && (!unit || e.properties.businessUnit === unit),
        ).length;
      const o = c.observedAtLabelTime!;
      expect(o.logins30d).toBe(count("login", 30));
      expect(o.cardProductViews7d).toBe(count("product_view", 7, "cards"));
      expect(o.mortgageProductViews30d).toBe(count("product_view", 30, "mortgages"));
      expect(o.complaints30d).toBe(count("complaint", 30));
      expect(o.offerImpressions7d).toBe(count("offer_impression", 7));
      logins += o.logins30d;
    }
    expect(logins).toBeGreaterThan(100);
  });

  it("has one offer row per offer_impression event, with matching responses", () => {
    const impressions = new Map(
      sample.events.filter((e) => e.type === "offer_impression").map((e) => [e.eventId, e]),
    );
    expect(sample.offers.length).toBe(impressions.size);
    expect(sample.offers.length).toBeGreaterThan(300);
    const accepts = new Map(
      sample.events
        .filter((e) => e.type === "offer_accept")
        .map((e) => [`${e.customerId}/${e.properties.actionId}`, e]),
    );
    let accepted = 0;
    for (const o of sample.offers) {
      const e = impressions.get(o.eventId)!;
      expect(e).toMatchObject({
        customerId: o.customerId,
        channel: o.channel,
        timestamp: o.timestamp,
        properties: { actionId: o.actionId, businessUnit: o.businessUnit },
      });
      expect(getAction(o.actionId).businessUnit).toBe(o.businessUnit);
      expect(o.acceptProbability).toBeGreaterThan(0);
      expect(o.acceptProbability).toBeLessThan(1);
      expect(o.propensity).toBeGreaterThan(0);
      expect(o.propensity).toBeLessThanOrEqual(1);
      const accept = accepts.get(`${o.customerId}/${o.actionId}`);
      if (o.accepted) {
        accepted++;
        expect(accept!.channel).toBe(o.channel);
        expect(accept!.timestamp).toBeGreaterThan(o.timestamp);
      }
    }
    // An accepted action is never offered again, so accept events and accepted rows pair one to one.
    expect(accepts.size).toBe(accepted);
    expect(sample.events.filter((e) => e.type === "offer_accept").length).toBe(accepted);
  });

  it("accepts offers at about the rate the written probabilities predict", () => {
    const expected = sample.offers.reduce((s, o) => s + o.acceptProbability, 0);
    const actual = sample.offers.filter((o) => o.accepted).length;
    expect(Math.abs(actual - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(expected / sample.offers.length).toBeGreaterThan(0.02);
    expect(expected / sample.offers.length).toBeLessThan(0.15);
  });

  it("ends at `end` and can end at an arbitrary instant", () => {
    const end = DEFAULT_END + 12_345_678;
    const s = generateSample({ customers: 20, days: 10, seed: 1, end });
    expect(s.summary.start).toBe(end - 10 * DAY_MS);
    expect(s.summary.labelTime).toBe(s.summary.start);
    expect(s.events.every((e) => e.timestamp >= s.summary.start && e.timestamp < end)).toBe(true);
    expect(() => generateSample({ customers: 0, days: 10, seed: 1, end })).toThrow(/customers/);
  });
});
