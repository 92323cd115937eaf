import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { RedisPolicyStore } from "../../src/policy/redis-policy-store.js";
import { connectRedis } from "../../src/redis/connect.js";
import { policyKeys } from "../../src/redis/keys.js";
import { createTestRedis } from "../support/test-redis.js";
import { runPolicyStoreContract } from "./policy-store.contract.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

// Each store gets its own prefix under the file's prefix, so tests start empty and cleanup finds them.
const storePrefix = () => `${shared.prefix}:${randomUUID().slice(0, 8)}`;

runPolicyStoreContract(
  "redis",
  async (now) => new RedisPolicyStore(connectRedis(shared.url), { keyPrefix: storePrefix(), now }),
);

describe("redis policy store layout", () => {
  it("keeps its keys in one hash-tagged slot and lets a second client see the same state", async () => {
    const prefix = storePrefix();
    const a = new RedisPolicyStore(connectRedis(shared.url), { keyPrefix: prefix });
    const b = new RedisPolicyStore(connectRedis(shared.url), { keyPrefix: prefix });
    await a.activate("abcdefabcdef", { name: "p" }, "api");
    expect(await b.state()).toEqual({ revision: 1, activeVersion: "abcdefabcdef" });
    expect((await b.get("abcdefabcdef"))?.document).toEqual({ name: "p" });

    const keys = policyKeys(prefix);
    expect(keys.active).toBe(`${prefix}:{policy}:active`);
    expect(await shared.redis.get(keys.active)).toBe("abcdefabcdef");
    expect(await shared.redis.type(keys.documents)).toBe("hash");
    expect(await shared.redis.type(keys.history)).toBe("list");
    const slots = new Set(Object.values(keys).map((k) => k.slice(k.indexOf("{"), k.indexOf("}") + 1)));
    expect(slots).toEqual(new Set(["{policy}"]));
    await a.close();
    await b.close();
  });
});
