import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contactRulesOf } from "../../src/decisioning/contact-rules.js";
import { readEachStore } from "../../src/decisioning/customer-inputs.js";
import { RedisCustomerInputs } from "../../src/decisioning/redis-customer-inputs.js";
import { connectRedis } from "../../src/redis/connect.js";
import { event, HOUR, uniqueCustomer } from "../support/event-factory.js";
import { startTestApp, type TestApp } from "../support/test-app.js";
import { testRedisUrl } from "../support/test-redis.js";

describe("decisions' customer inputs from Redis, one call per turn", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it("reads the same features, profile and contact history as one read per store", async () => {
    const { services } = app;
    const id = uniqueCustomer();
    const now = Date.now();
    await services.ingestService.ingest([
      event(id, "login", now - 2 * HOUR),
      event(id, "transaction", now - HOUR, { properties: { amount: 42 } }),
      event(id, "product_view", now - 30 * 60_000),
    ]);
    await services.featureStore.putProfile(id, {
      tenureMonths: 30,
      age: 41,
      segment: "mass",
      productsHeld: ["credit_card"],
    });
    const rules = contactRulesOf(services.policyService.current().policy);
    await services.contactStore.recordImpressions(
      id,
      [{ actionId: "card_cashback", businessUnit: "cards", channel: "app" }],
      rules,
      now - 10 * 60_000,
    );
    const redis = connectRedis(testRedisUrl());
    try {
      const one = await new RedisCustomerInputs(redis, services.featureService, app.prefix).read(id, now);
      const each = await readEachStore(services.featureService, services.contactStore).read(id, now);
      expect(one).toEqual(each);
      expect(one.features.known).toBe(true);
      expect(one.features.profile?.age).toBe(41);
      expect(one.history.impressions.map((i) => i.actionId)).toEqual(["card_cashback"]);
      const unknown = await new RedisCustomerInputs(redis, services.featureService, app.prefix).read(
        uniqueCustomer(),
        now,
      );
      expect(unknown.features.known).toBe(false);
      expect(unknown.history.impressions).toEqual([]);
      // Reads in one turn share one script call; each still gets its own customer's inputs.
      const reader = new RedisCustomerInputs(redis, services.featureService, app.prefix);
      const other = uniqueCustomer();
      await services.ingestService.ingest([event(other, "login", now - 3 * HOUR)]);
      const [a, b, c] = await Promise.all([
        reader.read(id, now),
        reader.read(uniqueCustomer(), now),
        reader.read(other, now),
      ]);
      expect(a).toEqual(each);
      expect(b.features.known).toBe(false);
      expect(c).toEqual(await readEachStore(services.featureService, services.contactStore).read(other, now));
      expect(c.features.known).toBe(true);
      expect(c.history.impressions).toEqual([]);
    } finally {
      await redis.quit();
    }
  });
});
