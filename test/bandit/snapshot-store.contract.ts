/**
 * The contract every SnapshotStore passes (memory-snapshot-store.test.ts, redis-snapshot-store.test.ts).
 * Each test makes its own empty store.
 */
import { describe, expect, it } from "vitest";
import { encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import type { SnapshotStore } from "../../src/bandit/snapshot-store.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { randomContext, testConfig } from "./bandit-fixtures.js";

export type SnapshotStoreFactory = () => Promise<SnapshotStore>;

function snapshot(counter: number, seed = counter) {
  const bandit = createBandit(testConfig({ algorithm: "linucb", alpha: 1, epsilon: 0 }));
  const rng = createRandom(seed);
  for (let t = 0; t < 20; t++) bandit.learn(randomContext(rng), "a", 0.1, rng.next() < 0.3 ? 1 : 0);
  return encodeSnapshot(bandit.snapshot(), counter);
}

export function runSnapshotStoreContract(name: string, makeStore: SnapshotStoreFactory): void {
  describe(`${name} snapshot store contract`, () => {
    it("starts empty", async () => {
      const store = await makeStore();
      expect(await store.latestVersion()).toBeUndefined();
      expect(await store.latest()).toBeUndefined();
      await store.close();
    });

    it("keeps the latest snapshot and its version", async () => {
      const store = await makeStore();
      const s1 = snapshot(1);
      expect(await store.publish(s1)).toEqual({ published: true, version: s1.version });
      expect(await store.latestVersion()).toBe(s1.version);
      expect(await store.latest()).toEqual({ version: s1.version, text: s1.text });
      const s2 = snapshot(2);
      await store.publish(s2);
      expect(await store.latest()).toEqual({ version: s2.version, text: s2.text });
      await store.close();
    });

    it("refuses a snapshot whose counter is not above the stored one's", async () => {
      const store = await makeStore();
      const s5 = snapshot(5);
      await store.publish(s5);
      expect(await store.publish(snapshot(5, 99))).toEqual({ published: false, current: s5.version });
      expect(await store.publish(snapshot(3))).toEqual({ published: false, current: s5.version });
      expect(await store.latestVersion()).toBe(s5.version);
      const s6 = snapshot(6);
      expect(await store.publish(s6)).toEqual({ published: true, version: s6.version });
      await store.close();
    });

    it("orders counters numerically, not as text", async () => {
      const store = await makeStore();
      await store.publish(snapshot(9));
      const s10 = snapshot(10);
      expect(await store.publish(s10)).toEqual({ published: true, version: s10.version });
      await store.close();
    });
  });
}
