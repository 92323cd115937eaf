/**
 * The contract every FeatureStore passes (run by memory-feature-store.test.ts and
 * redis-feature-store.test.ts). Each test uses its own customer ids, so stores may be shared.
 */
import { describe, expect, it } from "vitest";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import type { FeatureStore, FeatureStoreOptions } from "../../src/features/feature-store.js";
import { computeFeatureVector, featureRecord } from "../../src/features/feature-vector.js";
import { DAY_MS, event, HOUR, MINUTE, T0, uniqueCustomer } from "../support/event-factory.js";

export type StoreFactory = (options: FeatureStoreOptions) => Promise<FeatureStore>;

const plan = FEATURE_PLAN;
const HORIZON = plan.horizonMs;

async function featuresOf(store: FeatureStore, customerId: string, asOf: number) {
  return featureRecord(plan, computeFeatureVector(plan, await store.readState(customerId), asOf));
}

function clock(start: number) {
  const c = { t: start, now: () => c.t };
  return c;
}

export function runFeatureStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`${name} feature store contract`, () => {
    const options = (now: () => number, ttlSeconds = (HORIZON + DAY_MS) / 1000) => ({
      horizonMs: HORIZON,
      ttlSeconds,
      now,
    });

    it("returns null for a customer it has never seen", async () => {
      const store = await makeStore(options(() => T0));
      expect(await store.readState(uniqueCustomer())).toBeNull();
      await store.close();
    });

    it("counts an event inside a window and leaves out one just past its edge", async () => {
      const c = clock(T0 + 2 * MINUTE);
      const store = await makeStore(options(c.now));
      const id = uniqueCustomer();
      // 1h is served by 5-minute buckets: T0-55m is the oldest bucket in the window, T0-60m is out.
      await store.writeEvents([
        event(id, "page_view", T0 - 55 * MINUTE),
        event(id, "page_view", T0 - 60 * MINUTE),
      ]);
      // 7d is served by daily buckets: the day 6 days back is in, 7 days back is out.
      await store.writeEvents([
        event(id, "login", T0 - 6 * DAY_MS + HOUR),
        event(id, "login", T0 - 6 * DAY_MS - HOUR),
      ]);
      const f = await featuresOf(store, id, c.t);
      expect(f.page_views_1h).toBe(1);
      expect(f.page_views_24h).toBe(2);
      expect(f.logins_7d).toBe(1);
      expect(f.logins_30d).toBe(2);
      await store.close();
    });

    it("aggregates sum, max, last value, days since last and distinct channels", async () => {
      const c = clock(T0 + 12 * HOUR);
      const store = await makeStore(options(c.now));
      const id = uniqueCustomer();
      const tx = (ts: number, amount: number, channel: "web" | "app" | "branch") =>
        event(id, "transaction", ts, { channel, properties: { amount } });
      await store.writeEvents([
        tx(T0 - 2 * DAY_MS, 120.5, "web"),
        tx(T0 - 40 * DAY_MS, 1000, "branch"),
        tx(T0 + HOUR, 7.25, "app"),
      ]);
      await store.writeEvents([event(id, "complaint", T0 - 3 * DAY_MS, { channel: "call_centre" })]);
      const f = await featuresOf(store, id, c.t);
      expect(f.transactions_30d).toBe(2);
      expect(f.transaction_amount_30d).toBeCloseTo(127.75, 9);
      expect(f.transaction_amount_90d).toBeCloseTo(1127.75, 9);
      expect(f.max_transaction_amount_30d).toBe(120.5);
      expect(f.last_transaction_amount).toBe(7.25);
      expect(f.days_since_last_complaint).toBeCloseTo(3.5, 9);
      expect(f.distinct_channels_30d).toBe(3); // web, app, call_centre (branch is 40 days back)
      expect(f.days_since_last_event).toBeCloseTo(11 / 24, 9);
      expect(f.days_since_last_login).toBe(90);
      await store.close();
    });

    it("is idempotent by eventId, across calls and inside one batch", async () => {
      const c = clock(T0);
      const store = await makeStore(options(c.now));
      const id = uniqueCustomer();
      const batch = [event(id, "login", T0 - HOUR), event(id, "login", T0 - 2 * HOUR)];
      expect(await store.writeEvents(batch)).toEqual(["accepted", "accepted"]);
      expect(await store.writeEvents(batch)).toEqual(["duplicate", "duplicate"]);
      const again = event(id, "login", T0 - 3 * HOUR);
      expect(await store.writeEvents([again, { ...again }])).toEqual(["accepted", "duplicate"]);
      expect((await featuresOf(store, id, T0)).logins_24h).toBe(3);
      await store.close();
    });

    it("puts a late event in the bucket of its own time and keeps the newest last value", async () => {
      const c = clock(T0 + HOUR);
      const store = await makeStore(options(c.now));
      const id = uniqueCustomer();
      await store.writeEvents([event(id, "transaction", T0, { properties: { amount: 5 } })]);
      await store.writeEvents([event(id, "transaction", T0 - 20 * DAY_MS, { properties: { amount: 99 } })]);
      const f = await featuresOf(store, id, c.t);
      expect(f.transactions_7d).toBe(1);
      expect(f.transactions_30d).toBe(2);
      expect(f.last_transaction_amount).toBe(5);
      expect((await store.readState(id))?.lastEventAt).toBe(T0);
      await store.close();
    });

    it("breaks a tie on event time by the larger eventId, whatever the arrival order", async () => {
      const store = await makeStore(options(() => T0));
      const id = uniqueCustomer();
      const a = event(id, "transaction", T0 - HOUR, { eventId: "tie-a", properties: { amount: 1 } });
      const b = event(id, "transaction", T0 - HOUR, { eventId: "tie-b", properties: { amount: 2 } });
      await store.writeEvents([b]);
      await store.writeEvents([a]);
      expect((await featuresOf(store, id, T0)).last_transaction_amount).toBe(2);
      await store.close();
    });

    it("never loses an update when two writers hit one customer at once", async () => {
      const store = await makeStore(options(() => T0));
      const id = uniqueCustomer();
      const batch = () => Array.from({ length: 150 }, (_, i) => event(id, "page_view", T0 - i * MINUTE));
      const [a, b] = await Promise.all([store.writeEvents(batch()), store.writeEvents(batch())]);
      expect([...a, ...b].every((o) => o === "accepted")).toBe(true);
      expect((await featuresOf(store, id, T0)).page_views_7d).toBe(300);
      await store.close();
    });

    it("prunes buckets and event ids that fall out of the horizon", async () => {
      const c = clock(T0);
      // A TTL past the clock jump: expiry would drop everything and hide whether pruning works.
      const store = await makeStore(options(c.now, (3 * HORIZON) / 1000));
      const id = uniqueCustomer();
      const old = event(id, "login", T0 - DAY_MS);
      await store.writeEvents([old]);
      c.t = T0 + HORIZON + 2 * DAY_MS;
      const recent = event(id, "login", c.t - HOUR);
      await store.writeEvents([recent]);
      const state = await store.readState(id);
      const indexes = [...(state?.buckets.values() ?? [])].flatMap((m) => [...m.keys()]);
      expect(Math.min(...indexes)).toBeGreaterThanOrEqual(Math.floor((c.t - HORIZON) / DAY_MS));
      expect((await featuresOf(store, id, c.t)).logins_30d).toBe(1);
      // The old id was forgotten, so it counts again; the recent one is still remembered.
      const reused = { ...old, timestamp: c.t - 2 * HOUR };
      expect(await store.writeEvents([reused, recent])).toEqual(["accepted", "duplicate"]);
      expect((await featuresOf(store, id, c.t)).logins_30d).toBe(2);
      await store.close();
    });

    it("expires a customer's behaviour after the TTL but keeps the profile", async () => {
      const store = await makeStore(options(Date.now, 1));
      const id = uniqueCustomer();
      const quiet = uniqueCustomer();
      await store.putProfile(id, { tenureMonths: 3, segment: "student", productsHeld: ["current_account"] });
      await store.writeEvents([
        event(id, "login", Date.now() - MINUTE),
        event(quiet, "login", Date.now() - MINUTE),
      ]);
      expect((await store.readState(id))?.lastEventAt).not.toBeNull();
      await new Promise((r) => setTimeout(r, 2_100));
      const after = await store.readState(id);
      expect(after?.lastEventAt ?? null).toBeNull();
      expect(after?.profile?.segment).toBe("student");
      expect(await store.readState(quiet)).toBeNull();
      await store.close();
    });

    it("stores and replaces a profile, known without any events", async () => {
      const store = await makeStore(options(() => T0));
      const id = uniqueCustomer();
      await store.putProfile(id, {
        tenureMonths: 30,
        age: 41,
        segment: "affluent",
        productsHeld: ["mortgage", "credit_card"],
      });
      let f = await featuresOf(store, id, T0);
      expect([
        f.tenure_months,
        f.age,
        f.products_held,
        f.holds_mortgage,
        f.holds_personal_loan,
        f.segment_affluent,
      ]).toEqual([30, 41, 2, 1, 0, 1]);
      await store.putProfile(id, { tenureMonths: 31, segment: "mass", productsHeld: [] });
      f = await featuresOf(store, id, T0);
      expect([f.tenure_months, f.age, f.products_held, f.segment_affluent]).toEqual([31, 0, 0, 0]);
      await store.close();
    });

    it("answers ping while its backend is up", async () => {
      const store = await makeStore(options(() => T0));
      expect(await store.ping()).toBe(true);
      await store.close();
    });
  });
}
