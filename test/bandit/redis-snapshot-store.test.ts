import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { banditKeys } from "../../src/bandit/bandit-keys.js";
import { encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { RedisSnapshotStore } from "../../src/bandit/redis-snapshot-store.js";
import { SnapshotFollower } from "../../src/bandit/snapshot-follower.js";
import { connectRedis } from "../../src/redis/connect.js";
import { createTestRedis } from "../support/test-redis.js";
import { testConfig } from "./bandit-fixtures.js";
import { runSnapshotStoreContract } from "./snapshot-store.contract.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

// Each store gets its own prefix under the file's prefix, so tests start empty and cleanup finds them.
const storePrefix = () => `${shared.prefix}:${randomUUID().slice(0, 8)}`;

runSnapshotStoreContract(
  "redis",
  async () => new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix: storePrefix() }),
);

describe("redis snapshot store layout and replicas", () => {
  it("keeps two keys in the {bandit} slot: the snapshot text and its version", async () => {
    const prefix = storePrefix();
    const store = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix: prefix });
    const s = encodeSnapshot(
      createBandit(testConfig({ algorithm: "epsilon_greedy", epsilon: 0.1 })).snapshot(),
      1,
    );
    await store.publish(s);
    const keys = banditKeys(prefix);
    expect(keys).toEqual({ snapshot: `${prefix}:{bandit}:snapshot`, version: `${prefix}:{bandit}:version` });
    expect(await shared.redis.get(keys.version)).toBe(s.version);
    expect(await shared.redis.get(keys.snapshot)).toBe(s.text);
    await store.close();
  });

  it("lets a replica on another connection pick up a new snapshot within a second", async () => {
    const prefix = storePrefix();
    const learnerStore = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix: prefix });
    const replicaStore = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix: prefix });
    const config = testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 128 });
    const initial = createBandit(config);
    const follower = new SnapshotFollower(replicaStore, initial, { pollIntervalMs: 250 });
    await follower.start();
    expect(follower.current()).toBe(initial);

    const trained = createBandit(config);
    trained.learn(new Float64Array(6).fill(1), "a", 0.1, 1);
    const s = encodeSnapshot(trained.snapshot(), 1);
    const published = Date.now();
    await learnerStore.publish(s);
    while (follower.version() !== s.version && Date.now() - published < 2_000)
      await new Promise((r) => setTimeout(r, 20));
    expect(follower.version()).toBe(s.version);
    expect(Date.now() - published).toBeLessThan(1_000);
    expect(follower.current().snapshot().arms).toHaveLength(1);
    follower.stop();
    await learnerStore.close();
    await replicaStore.close();
  });
});
