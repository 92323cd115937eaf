/** What the learner follows: the policy active in Redis (e.g. PUT over the API), else the file. */
import { afterAll, describe, expect, it } from "vitest";
import { activePolicyOrFile, loadPolicyFile, RedisPolicyStore } from "../../src/policy/index.js";
import { connectRedis } from "../../src/redis/connect.js";
import { createTestRedis } from "../support/test-redis.js";

const FILE = "data/policies/bank-policy.yaml";
const shared = createTestRedis();
afterAll(() => shared.cleanup());

describe("activePolicyOrFile", () => {
  it("reads the file while no policy was ever activated, then the active one", async () => {
    const store = new RedisPolicyStore(connectRedis(shared.url), { keyPrefix: `${shared.prefix}:active` });
    try {
      const file = await loadPolicyFile(FILE);
      expect((await activePolicyOrFile(store, FILE)).version).toBe(file.version);

      const document = { ...file.document, bandit: { ...file.document.bandit, algorithm: "linucb" } };
      await store.activate("put-by-api", document, "api");
      const active = await activePolicyOrFile(store, FILE);
      expect(active.document.bandit.algorithm).toBe("linucb");
      expect(active.version).not.toBe(file.version);
    } finally {
      await store.close();
    }
  });
});
