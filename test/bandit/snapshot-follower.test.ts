import { describe, expect, it } from "vitest";
import { encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { MemorySnapshotStore } from "../../src/bandit/memory-snapshot-store.js";
import { SnapshotFollower } from "../../src/bandit/snapshot-follower.js";
import type { SnapshotStore } from "../../src/bandit/snapshot-store.js";
import { testConfig } from "./bandit-fixtures.js";

const config = testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 128 });
const x = new Float64Array(6).fill(0.5);

function trainedSnapshot(counter: number, rewards: number) {
  const bandit = createBandit(config);
  for (let t = 0; t < rewards; t++) bandit.learn(x, "a", 0.1, 1);
  return encodeSnapshot(bandit.snapshot(), counter);
}

describe("snapshot follower", () => {
  it("serves its initial bandit, then each new snapshot", async () => {
    const store = new MemorySnapshotStore();
    const initial = createBandit(config);
    const swaps: string[] = [];
    const follower = new SnapshotFollower(store, initial, { onSwap: (v) => swaps.push(v) });
    expect(await follower.poll()).toBe(false);
    expect(follower.current()).toBe(initial);
    const s1 = trainedSnapshot(1, 5);
    await store.publish(s1);
    expect(await follower.poll()).toBe(true);
    expect(follower.version()).toBe(s1.version);
    expect(follower.current().snapshot().arms[0]!.count).toBe(5);
    expect(await follower.poll()).toBe(false); // unchanged version: no reload
    const s2 = trainedSnapshot(2, 9);
    await store.publish(s2);
    await follower.poll();
    expect(follower.current().snapshot().arms[0]!.count).toBe(9);
    expect(swaps).toEqual([s1.version, s2.version]);
  });

  it("refuses a corrupt snapshot once and keeps serving the previous one", async () => {
    const store = new MemorySnapshotStore();
    const follower = new SnapshotFollower(store, createBandit(config), {
      onRefused: (version, reason) => refused.push(`${version}: ${reason}`),
    });
    const refused: string[] = [];
    const s1 = trainedSnapshot(1, 5);
    await store.publish(s1);
    await follower.poll();
    const serving = follower.current();
    const bad = trainedSnapshot(2, 7);
    store.putRaw(bad.version, bad.text.replace(/"data":"./, '"data":"A'));
    expect(await follower.poll()).toBe(false);
    expect(await follower.poll()).toBe(false);
    expect(follower.current()).toBe(serving);
    expect(follower.version()).toBe(s1.version);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/hash|malformed|bytes/);
    // The next good snapshot is taken.
    const s3 = trainedSnapshot(3, 8);
    await store.publish(s3);
    expect(await follower.poll()).toBe(true);
  });

  it("refuses a snapshot learned over another context schema", async () => {
    const store = new MemorySnapshotStore();
    const refused: string[] = [];
    const follower = new SnapshotFollower(store, createBandit(config), {
      contextSchema: "ctx-other",
      onRefused: (_v, reason) => refused.push(reason),
    });
    await store.publish(trainedSnapshot(1, 1));
    expect(await follower.poll()).toBe(false);
    expect(refused[0]).toMatch(/context schema/);
  });

  it("serves a snapshot's arms with the settings `configure` returns (e.g. the policy's algorithm)", async () => {
    const store = new MemorySnapshotStore();
    const follower = new SnapshotFollower(store, createBandit(config), {
      configure: (c) => ({ ...c, exploration: { algorithm: "linucb", alpha: 1, epsilon: 0 } }),
    });
    await store.publish(trainedSnapshot(1, 3));
    await follower.poll();
    expect(follower.current().algorithm).toBe("linucb");
    expect(follower.current().snapshot().arms[0]!.count).toBe(3);
  });

  it("keeps serving when the store cannot be reached", async () => {
    const errors: unknown[] = [];
    const broken: SnapshotStore = {
      kind: "memory",
      publish: () => Promise.reject(new Error("down")),
      latestVersion: () => Promise.reject(new Error("down")),
      latest: () => Promise.reject(new Error("down")),
      close: async () => {},
    };
    const initial = createBandit(config);
    const follower = new SnapshotFollower(broken, initial, { onError: (e) => errors.push(e) });
    await follower.start();
    expect(follower.current()).toBe(initial);
    expect(errors).toHaveLength(1);
    follower.stop();
  });
});
