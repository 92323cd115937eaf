import { afterAll, describe, expect, it } from "vitest";
import { contactRules } from "../../src/decisioning/contact-rules.js";
import { contactKey } from "../../src/decisioning/decision-keys.js";
import { RedisContactStore } from "../../src/decisioning/redis-contact-store.js";
import { createTestRedis } from "../support/test-redis.js";
import { runContactStoreContract } from "./contact-store.contract.js";
import { DAY, uniqueId } from "./decision-fixtures.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

runContactStoreContract("redis", () => new RedisContactStore(shared.redis, { keyPrefix: shared.prefix }));

describe("redis contact store layout", () => {
  it("keeps one packed string per customer under a hash-tagged key, expiring past the longest rule", async () => {
    const store = new RedisContactStore(shared.redis, { keyPrefix: shared.prefix, ttlMarginMs: DAY });
    const rules = contactRules({
      perCustomer: [{ max: 8, days: 30 }],
      defaults: { cooldownHours: 48, suppressionDays: 30 },
    });
    const id = uniqueId("c");
    const now = Date.UTC(2026, 5, 15);
    await store.recordImpressions(
      id,
      [{ actionId: "card_cashback", businessUnit: "cards", channel: "web" }],
      rules,
      now,
    );
    await store.recordRejection(id, "loan_personal", now + 1, rules);
    const key = contactKey(shared.prefix, id);
    expect(key).toBe(`${shared.prefix}:{${id}}:contact`);
    expect(await shared.redis.type(key)).toBe("string");
    expect(await shared.redis.get(key)).toBe(`i ${now} card_cashback cards web\nr ${now + 1} loan_personal`);
    const ttl = await shared.redis.pttl(key);
    expect(ttl).toBeGreaterThan(31 * DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(31 * DAY);
  });

  it("refuses ids with whitespace, which the packed format cannot hold", async () => {
    const store = new RedisContactStore(shared.redis, { keyPrefix: shared.prefix });
    const rules = contactRules({});
    await expect(
      store.recordImpressions(
        uniqueId("c"),
        [{ actionId: "a b", businessUnit: "u", channel: "web" }],
        rules,
        0,
      ),
    ).rejects.toThrow(/whitespace/);
  });
});
