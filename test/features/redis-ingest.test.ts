/**
 * What the contract suite cannot see: the Redis store against the memory store on awkward batches
 * (many customers per script call, retries, ties, late events, an advancing clock), and the layout's
 * own promises (stale buckets never written and pruned, expiry refreshed only when it ran down yet
 * never before the horizon passed the newest event, no event lost by a call that fails).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { computeFeatureVector, featureRecord } from "../../src/features/feature-vector.js";
import { IngestService } from "../../src/features/ingest-service.js";
import { MemoryFeatureStore } from "../../src/features/memory-feature-store.js";
import { RedisFeatureStore } from "../../src/features/redis-feature-store.js";
import { CHANNELS, EVENT_TYPES } from "../../src/features/vocabulary.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { connectRedis } from "../../src/redis/connect.js";
import { customerKeys } from "../../src/redis/keys.js";
import { DAY_MS, event, HOUR, MINUTE, T0, uniqueCustomer } from "../support/event-factory.js";
import { createTestRedis } from "../support/test-redis.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

const plan = FEATURE_PLAN;
const TTL_SECONDS = (plan.horizonMs + DAY_MS) / 1000;

function redisStore(now: () => number, customersPerCall?: number) {
  return new RedisFeatureStore(connectRedis(shared.url), plan, {
    horizonMs: plan.horizonMs,
    ttlSeconds: TTL_SECONDS,
    now,
    keyPrefix: shared.prefix,
    ...(customersPerCall ? { customersPerCall } : {}),
  });
}

function randomBatch(random: ReturnType<typeof createRandom>, customers: string[], at: number) {
  return Array.from({ length: 40 }, (_, i): BehaviourEvent => {
    const type = EVENT_TYPES[random.int(EVENT_TYPES.length)]!;
    // Some events late by up to 20 days, some at the same instant (ties on event time).
    const late = random.next() < 0.3 ? random.int(20 * DAY_MS) : random.int(2 * HOUR);
    return event(customers[random.int(customers.length)]!, type, at - late - (random.next() < 0.2 ? 0 : i), {
      channel: CHANNELS[random.int(CHANNELS.length)]!,
      // Ids that differ only in case order differently in byte order and in most locales.
      eventId: `${random.next() < 0.5 ? "E" : "e"}-${random.int(1e9)}`,
      properties: {
        amount: Math.round(random.next() * 1e5) / 100,
        businessUnit: "cards",
        actionId: "card_cashback",
      },
    });
  });
}

describe("redis store against the memory store", () => {
  it("gives the same outcomes and vectors on messy batches split across script calls", async () => {
    const random = createRandom(5);
    const clock = { t: T0 };
    const redis = redisStore(() => clock.t, 3);
    const memory = new MemoryFeatureStore(plan, {
      horizonMs: plan.horizonMs,
      ttlSeconds: TTL_SECONDS,
      now: () => clock.t,
    });
    const customers = Array.from({ length: 8 }, () => uniqueCustomer("diff"));
    let previous: BehaviourEvent[] = [];
    for (let round = 0; round < 12; round++) {
      clock.t += random.int(3 * HOUR);
      // Retries: part of the previous batch comes again, and one event twice in the same batch.
      const batch = [...randomBatch(random, customers, clock.t), ...previous.slice(0, 5)];
      batch.push({ ...batch[0]! });
      // Ties on the newest event time, decided by ids that differ only in case, within a call and
      // against what an earlier call stored.
      const tied = (ts: number, eventId: string, amount: number) =>
        event(customers[0]!, "transaction", ts, { eventId, properties: { amount } });
      batch.push(tied(clock.t, `t-${round}`, round), tied(clock.t, `T-${round}`, 100 + round));
      expect(await redis.writeEvents(batch)).toEqual(await memory.writeEvents(batch));
      const later = [tied(clock.t, round % 2 ? `U-${round}` : `u-${round}`, 200 + round)];
      expect(await redis.writeEvents(later)).toEqual(await memory.writeEvents(later));
      previous = batch;
      for (const id of customers) {
        const [a, b] = [await redis.readState(id), await memory.readState(id)];
        const online = computeFeatureVector(plan, a, clock.t);
        const expected = computeFeatureVector(plan, b, clock.t);
        for (let f = 0; f < online.length; f++) expect(online[f], plan.names[f]).toBeCloseTo(expected[f]!, 9);
        expect(a?.lastEventAt).toBe(b?.lastEventAt);
      }
    }
    await redis.close();
  });
});

describe("redis layout", () => {
  it("does not write a bucket no window can see any more", async () => {
    const store = redisStore(() => T0);
    const id = uniqueCustomer();
    await store.writeEvents([event(id, "page_view", T0 - 3 * HOUR)]);
    const fields = await shared.redis.hkeys(customerKeys(shared.prefix, id).features);
    expect(fields.filter((f) => f.includes("|m|"))).toEqual([]);
    expect(fields.filter((f) => f.includes("|h|")).length).toBeGreaterThan(0);
    await store.close();
  });

  it("prunes buckets that went out of every window once enough fields were added", async () => {
    const clock = { t: T0 };
    const store = redisStore(() => clock.t);
    const id = uniqueCustomer();
    const key = customerKeys(shared.prefix, id).features;
    const views = (end: number) =>
      Array.from({ length: 100 }, (_, i) => event(id, "page_view", end - i * 5 * MINUTE));
    await store.writeEvents(views(T0));
    const before = await shared.redis.hkeys(key);
    clock.t = T0 + 2 * DAY_MS;
    await store.writeEvents(views(clock.t));
    const after = new Set(await shared.redis.hkeys(key));
    const fine = before.filter((f) => /\|[mh]\|/.test(f));
    expect(fine.length).toBeGreaterThan(10);
    expect(fine.filter((f) => after.has(f))).toEqual([]);
    expect(before.filter((f) => f.includes("|d|")).every((f) => after.has(f))).toBe(true);
    await store.close();
  });

  it("forgets event ids that fell out of the horizon, and only those", async () => {
    const clock = { t: T0 };
    const store = redisStore(() => clock.t);
    const id = uniqueCustomer();
    const old = event(id, "login", T0 - DAY_MS);
    await store.writeEvents([old]);
    clock.t = T0 + plan.horizonMs + 2 * DAY_MS;
    const recent = event(id, "login", clock.t - HOUR);
    await store.writeEvents([recent]);
    const seen = customerKeys(shared.prefix, id).seenEvents;
    expect(await shared.redis.zscore(seen, old.eventId)).toBeNull();
    expect(Number(await shared.redis.zscore(seen, recent.eventId))).toBe(-recent.timestamp);
    await store.close();
  });

  it("refreshes the expiry only once it has run down by a day", async () => {
    const clock = { t: T0 };
    const store = redisStore(() => clock.t);
    const id = uniqueCustomer();
    const key = customerKeys(shared.prefix, id).features;
    await store.writeEvents([event(id, "login", T0 - HOUR)]);
    await shared.redis.pexpire(key, 50_000_000);
    clock.t = T0 + 12 * HOUR;
    await store.writeEvents([event(id, "login", clock.t - HOUR)]);
    expect(await shared.redis.pttl(key)).toBeLessThanOrEqual(50_000_000);
    clock.t = T0 + 2 * DAY_MS;
    await store.writeEvents([event(id, "login", clock.t - HOUR)]);
    expect(await shared.redis.pttl(key)).toBeGreaterThan((TTL_SECONDS - 60) * 1000);
    await store.close();
  });

  it.each(["features", "seenEvents"] as const)(
    "loses no event of a call Redis refuses (%s key of the wrong type): a retry counts every event once",
    async (wrong) => {
      const store = redisStore(() => T0);
      const [healthy, broken] = [uniqueCustomer(), uniqueCustomer()];
      const batch = [event(healthy, "login", T0 - HOUR), event(broken, "login", T0 - HOUR)];
      const brokenKeys = customerKeys(shared.prefix, broken);
      // The broken customer comes second in the script call, after the healthy one's turn.
      await shared.redis.set(brokenKeys[wrong], "not a hash or a sorted set");
      await expect(store.writeEvents(batch)).rejects.toThrow(/answered with an error: WRONGTYPE/);
      // The failing customer's event is not marked seen without being counted.
      if (wrong === "features")
        expect(await shared.redis.zscore(brokenKeys.seenEvents, batch[1]!.eventId)).toBeNull();

      await shared.redis.del(brokenKeys[wrong]);
      // The healthy customer was written before the failure: its event is a duplicate now, never twice.
      expect(await store.writeEvents(batch)).toEqual(["duplicate", "accepted"]);
      for (const id of [healthy, broken]) {
        const f = featureRecord(plan, computeFeatureVector(plan, await store.readState(id), T0));
        expect(f.logins_24h).toBe(1);
      }
      await store.close();
    },
  );

  it("keeps a customer's data for the horizon past its newest event, one dated ahead of the clock too", async () => {
    // Redis expires keys on its own clock, so this test runs on the real one, with a short horizon.
    const horizonMs = 99_000;
    const store = new RedisFeatureStore(connectRedis(shared.url), plan, {
      horizonMs,
      ttlSeconds: 100,
      now: Date.now,
      keyPrefix: shared.prefix,
    });
    const ingest = new IngestService(store, horizonMs, Date.now);
    const id = uniqueCustomer();
    const key = customerKeys(shared.prefix, id).features;
    await ingest.ingest([event(id, "login", Date.now() - 1_000)]);
    // Written within the refresh slack of the first write, so the expiry is not moved.
    const ahead = await ingest.ingest([event(id, "login", Date.now() + 4 * MINUTE)]);
    expect(ahead).toMatchObject({ accepted: 1, rejected: [] });
    const newest = Number(await shared.redis.hget(key, "_t"));
    const [pttl, checkedAt] = [await shared.redis.pttl(key), Date.now()];
    expect(checkedAt + pttl).toBeGreaterThanOrEqual(newest + horizonMs);
    await store.close();
  });
});
