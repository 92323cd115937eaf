import { afterAll, describe, expect, it } from "vitest";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { RedisFeatureStore } from "../../src/features/redis-feature-store.js";
import { connectRedis } from "../../src/redis/connect.js";
import { customerKeys } from "../../src/redis/keys.js";
import { event, HOUR, T0, uniqueCustomer } from "../support/event-factory.js";
import { createTestRedis } from "../support/test-redis.js";
import { runFeatureStoreContract } from "./feature-store.contract.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

runFeatureStoreContract(
  "redis",
  async (options) =>
    new RedisFeatureStore(connectRedis(shared.url), FEATURE_PLAN, { ...options, keyPrefix: shared.prefix }),
);

describe("redis feature store layout", () => {
  it("keeps one hash per customer under a hash-tagged key with a TTL past the horizon", async () => {
    const store = new RedisFeatureStore(connectRedis(shared.url), FEATURE_PLAN, {
      horizonMs: FEATURE_PLAN.horizonMs,
      ttlSeconds: 91 * 86_400,
      now: () => T0,
      keyPrefix: shared.prefix,
    });
    const id = uniqueCustomer();
    await store.writeEvents([event(id, "login", T0 - HOUR)]);
    const keys = customerKeys(shared.prefix, id);
    expect(keys.features).toBe(`${shared.prefix}:{${id}}:f`);
    expect(await shared.redis.type(keys.features)).toBe("hash");
    const ttl = await shared.redis.ttl(keys.features);
    expect(ttl).toBeGreaterThan(90 * 86_400);
    expect(ttl).toBeLessThanOrEqual(91 * 86_400);
    await store.close();
  });
});
