/**
 * Online/offline parity: replay a generated log into the Redis store in time order and, at several
 * as-of times, compare what the store answers with what the offline builder computes from the log.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { computeFeatureVector } from "../../src/features/feature-vector.js";
import { asIngested, IngestService } from "../../src/features/ingest-service.js";
import { buildPointInTimeFeatures } from "../../src/features/point-in-time-builder.js";
import { RedisFeatureStore } from "../../src/features/redis-feature-store.js";
import { DAY_MS, HOUR_MS } from "../../src/features/windows.js";
import { generateSample } from "../../src/generator/index.js";
import { connectRedis } from "../../src/redis/connect.js";
import { createTestRedis } from "../support/test-redis.js";

const testRedis = createTestRedis();
afterAll(() => testRedis.cleanup());

/** Throws naming the first feature where the two vectors differ by more than 1e-9. */
function expectSameVector(
  customerId: string,
  asOf: number,
  online: Float64Array,
  offline: Float64Array,
): void {
  for (let f = 0; f < online.length; f++) {
    if (Math.abs(online[f]! - offline[f]!) > 1e-9) {
      throw new Error(
        `${customerId} ${FEATURE_PLAN.names[f]} at ${new Date(asOf).toISOString()}: online ${online[f]} offline ${offline[f]}`,
      );
    }
  }
}

/** The Redis store and the ingest service on a clock the test moves. */
function clockedStore(clock: { t: number }) {
  const store = new RedisFeatureStore(connectRedis(testRedis.url), FEATURE_PLAN, {
    horizonMs: FEATURE_PLAN.horizonMs,
    ttlSeconds: 100 * 86_400,
    now: () => clock.t,
    keyPrefix: testRedis.prefix,
  });
  return { store, ingest: new IngestService(store, FEATURE_PLAN.horizonMs, () => clock.t) };
}

/** An app login of `customerId` at `timestamp`, or another event type through `extra`. */
const login = (
  customerId: string,
  eventId: string,
  timestamp: number,
  extra: Partial<BehaviourEvent> = {},
): BehaviourEvent => ({
  eventId,
  customerId,
  type: "login",
  channel: "app",
  timestamp,
  properties: {},
  ...extra,
});

describe("point-in-time parity", () => {
  it("the offline builder equals the online store at every as-of time (within 1e-9)", async () => {
    const end = Date.UTC(2026, 2, 1);
    const sample = generateSample({ customers: 120, days: 60, seed: 7, end });
    const events = sample.events as BehaviourEvent[];
    // Retries: a few events arrive twice; both sides must count them once.
    const replay = [...events, ...events.filter((_, i) => i % 50 === 0)].sort(
      (a, b) => a.timestamp - b.timestamp,
    );
    const clock = { t: 0 };
    const { store, ingest } = clockedStore(clock);
    await Promise.all(sample.profiles.map((p) => store.putProfile(p.customerId, p.profile)));
    const profiles = new Map(sample.profiles.map((p) => [p.customerId, p.profile]));
    const customerIds = sample.profiles.map((p) => p.customerId);

    // Odd instants, so windows cut through buckets rather than on their edges.
    const checkpoints = [
      end - 45 * DAY_MS + 3_723_000,
      end - 20 * DAY_MS + 47_000_123,
      end - 2 * DAY_MS + 61_000,
      end - 1,
    ];
    let next = 0;
    let compared = 0;
    for (const asOf of checkpoints) {
      while (next < replay.length && replay[next]!.timestamp <= asOf) {
        const batch: BehaviourEvent[] = [];
        while (batch.length < 500 && next < replay.length && replay[next]!.timestamp <= asOf)
          batch.push(replay[next++]!);
        clock.t = batch[batch.length - 1]!.timestamp;
        const result = await ingest.ingest(batch);
        expect(result.rejected).toEqual([]);
      }
      clock.t = asOf;
      const offline = buildPointInTimeFeatures(
        FEATURE_PLAN,
        events,
        customerIds.map((customerId) => ({ customerId, asOf })),
        profiles,
      );
      for (const row of offline) {
        const online = computeFeatureVector(FEATURE_PLAN, await store.readState(row.customerId), asOf);
        expectSameVector(row.customerId, asOf, online, row.vector);
        compared += online.length;
      }
    }
    expect(compared).toBe(checkpoints.length * customerIds.length * FEATURE_PLAN.names.length);
    // The comparison means something only if the features actually vary.
    const last = buildPointInTimeFeatures(
      FEATURE_PLAN,
      events,
      customerIds.map((customerId) => ({ customerId, asOf: end - 1 })),
      profiles,
    );
    const logins = new Set(last.map((r) => r.vector[FEATURE_PLAN.names.indexOf("logins_30d")]));
    expect(logins.size).toBeGreaterThan(5);
    await store.close();
  }, 60_000);

  it("agrees on events dated after the ingest clock, replaying them as the service stored them", async () => {
    // An odd instant, so events a few minutes ahead fall in later 5-minute buckets.
    const at = Date.UTC(2026, 2, 1, 9, 1, 7);
    const clock = { t: at };
    const { store, ingest } = clockedStore(clock);
    const id = "ahead-1";
    // A producer whose clock runs ahead of the server's, inside the accepted tolerance.
    const sent = [
      login(id, "a1", at - 3 * HOUR_MS),
      login(id, "a2", at + 2 * 60_000),
      login(id, "a3", at + 4 * 60_000, { type: "transaction", properties: { amount: 7 } }),
    ];
    expect(await ingest.ingest(sent)).toMatchObject({ accepted: 3, rejected: [] });
    const log = asIngested(sent, at);
    for (const asOf of [at, at + 60_000, at + 3 * 60_000, at + 10 * 60_000, at + DAY_MS]) {
      clock.t = asOf;
      const online = computeFeatureVector(FEATURE_PLAN, await store.readState(id), asOf);
      const [offline] = buildPointInTimeFeatures(FEATURE_PLAN, log, [{ customerId: id, asOf }]);
      expectSameVector(id, asOf, online, offline!.vector);
    }
    await store.close();
  });

  it("keeps the order of events dated ahead of the clock: the newest wins 'latest' features", async () => {
    const at = Date.UTC(2026, 2, 1, 9, 1, 7);
    const clock = { t: at };
    const { store, ingest } = clockedStore(clock);
    const id = "ahead-order";
    // Ids in the opposite order to time: moved to the same instant, the larger id would win.
    const sent = [
      login(id, "zz-first", at + 60_000, { type: "transaction", properties: { amount: 10 } }),
      login(id, "aa-second", at + 120_000, { type: "transaction", properties: { amount: 20 } }),
    ];
    expect(await ingest.ingest(sent)).toMatchObject({ accepted: 2 });
    const online = computeFeatureVector(FEATURE_PLAN, await store.readState(id), at);
    expect(online[FEATURE_PLAN.names.indexOf("last_transaction_amount")]).toBe(20);
    const [offline] = buildPointInTimeFeatures(FEATURE_PLAN, asIngested(sent, at), [
      { customerId: id, asOf: at },
    ]);
    expectSameVector(id, at, online, offline!.vector);
    await store.close();
  });

  it("never uses an event after the as-of time", () => {
    const id = "pit-1";
    const at = Date.UTC(2026, 0, 10, 12);
    const rows = buildPointInTimeFeatures(
      FEATURE_PLAN,
      [login(id, "b", at + 1), login(id, "a", at - 1000), login(id, "a", at - 500)],
      [
        { customerId: id, asOf: at },
        { customerId: id, asOf: at - 2000 },
      ],
    );
    const logins = FEATURE_PLAN.names.indexOf("logins_24h");
    expect(rows[0]!.vector[logins]).toBe(1);
    expect(rows[1]!.vector[logins]).toBe(0);
    expect(rows[1]!.known).toBe(false);
  });
});
