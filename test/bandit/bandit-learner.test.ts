import { describe, expect, it, vi } from "vitest";
import { BanditLearner } from "../../src/bandit/bandit-learner.js";
import { decodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { runLearnerLoop } from "../../src/bandit/learner-loop.js";
import { MemorySnapshotStore } from "../../src/bandit/memory-snapshot-store.js";
import { MemoryRewardSource } from "../../src/bandit/reward-source.js";
import type { SnapshotStore } from "../../src/bandit/snapshot-store.js";
import type { JoinedReward } from "../../src/decisioning/decision-record.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { arms, testConfig } from "./bandit-fixtures.js";

const config = testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 128 });
const x = [1, 0, 0.5, 0, -1, 0];

function reward(i: number, overrides: Partial<JoinedReward> = {}): JoinedReward {
  return {
    decisionId: `d${i}`,
    actionId: "a0",
    reward: 1,
    source: "api",
    probability: 0.5,
    banditContext: x,
    prior: 0.1,
    algorithm: "thompson",
    snapshotVersion: "0-000000000000",
    customerId: "c1",
    joinedAt: 0,
    ...overrides,
  };
}

function clock() {
  const c = { t: 1_000_000, now: () => c.t };
  return c;
}

describe("bandit learner", () => {
  it("learns from the logged context and prior (embedded mode: no store, direct apply)", () => {
    const bandit = createBandit(config);
    const learner = new BanditLearner(bandit);
    const before = bandit.choose(x, arms([0.1]), createRandom(1)).means[0]!;
    expect(learner.apply(Array.from({ length: 50 }, (_, i) => reward(i)))).toEqual({
      applied: 50,
      skipped: 0,
    });
    const after = bandit.choose(x, arms([0.1]), createRandom(1)).means[0]!;
    expect(after).toBeGreaterThan(before + 0.3);
    expect(learner.due()).toBe(false); // nothing to publish to
  });

  it("skips rewards it cannot learn from and clamps rewards to [0, 1] by default", () => {
    const learner = new BanditLearner(createBandit(config));
    const result = learner.apply([
      reward(1, { banditContext: [1, 2] }),
      reward(2, { reward: Number.NaN }),
      reward(3, { prior: Number.POSITIVE_INFINITY }),
      reward(4, { banditContext: [1, 0, 0, 0, Number.NaN, 0] }),
      reward(5, { reward: 250 }),
      // An entry missing a field: skipped, never thrown out of the learner loop.
      reward(6, { banditContext: undefined as unknown as number[] }),
    ]);
    expect(result).toEqual({ applied: 1, skipped: 5 });
    expect(learner.bandit.snapshot().arms[0]!.rewardSum).toBe(1);
  });

  it("continues above its own snapshot when a publish landed but its reply was lost", async () => {
    const store = new MemorySnapshotStore();
    let lose = true;
    // The real store, whose answer to the first publish is lost on the way back (a dropped connection).
    const flaky: SnapshotStore = {
      kind: store.kind,
      close: () => store.close(),
      publish: async (s: Parameters<MemorySnapshotStore["publish"]>[0]) => {
        const result = await store.publish(s);
        if (lose) {
          lose = false;
          throw new Error("connection reset");
        }
        return result;
      },
      latestVersion: () => store.latestVersion(),
      latest: () => store.latest(),
    };
    const learner = new BanditLearner(createBandit(config), { store: flaky });
    learner.apply([reward(1)]);
    await expect(learner.publish()).rejects.toThrow("connection reset");
    learner.apply([reward(2)]);
    const result = await learner.publish();
    expect(result).toMatchObject({ published: true });
    const latest = decodeSnapshot((await store.latest())!.text);
    expect(latest.counter).toBe(2);
    expect(latest.state.arms[0]!.count).toBe(2);
    expect(learner.pendingRewards()).toBe(0);
  });

  it("publishes when enough rewards accumulated or enough time passed, with increasing counters", async () => {
    const c = clock();
    const store = new MemorySnapshotStore();
    const learner = new BanditLearner(createBandit(config), {
      store,
      startCounter: 4,
      publishEveryRewards: 10,
      publishEveryMs: 1_000,
      now: c.now,
    });
    learner.apply(Array.from({ length: 9 }, (_, i) => reward(i)));
    expect(learner.due()).toBe(false);
    learner.apply([reward(9)]);
    expect(learner.due()).toBe(true);
    const first = await learner.publishIfDue();
    expect(first).toMatchObject({ published: true, version: expect.stringMatching(/^5-/) });
    expect(learner.pendingRewards()).toBe(0);
    learner.apply([reward(10)]);
    expect(learner.due()).toBe(false);
    c.t += 1_000;
    expect(learner.due()).toBe(true);
    await learner.publishIfDue();
    const latest = await store.latest();
    const decoded = decodeSnapshot(latest!.text);
    expect(decoded.counter).toBe(6);
    expect(decoded.state.arms[0]!.count).toBe(11);
  });
});

describe("learner loop", () => {
  it("acknowledges rewards only once a published snapshot holds them, and flushes on stop", async () => {
    const source = new MemoryRewardSource();
    const store = new MemorySnapshotStore();
    const learner = new BanditLearner(createBandit(config), {
      store,
      publishEveryRewards: 5,
      publishEveryMs: 60_000,
    });
    const stop = new AbortController();
    const published: number[] = [];
    const loop = runLearnerLoop(source, learner, {
      signal: stop.signal,
      batchSize: 3,
      blockMs: 10,
      onPublish: (_v, n) => published.push(n),
    });
    source.push(...Array.from({ length: 4 }, (_, i) => reward(i)));
    // Read and learned, but in no snapshot yet: delivered and not acknowledged.
    await vi.waitFor(() => expect(learner.stats().applied).toBe(4));
    expect(published).toEqual([]);
    expect(source.pendingIds()).toHaveLength(4);
    source.push(reward(4), reward(5));
    await vi.waitFor(() => expect(source.pendingIds()).toHaveLength(0));
    expect(published).toEqual([6]);
    source.push(reward(6));
    await vi.waitFor(() => expect(learner.stats().applied).toBe(7));
    expect(source.pendingIds()).toHaveLength(1);
    stop.abort();
    expect(await loop).toBe("stopped");
    expect(published).toEqual([6, 1]);
    expect(source.pendingIds()).toHaveLength(0);
    expect(decodeSnapshot((await store.latest())!.text).state.arms[0]!.count).toBe(7);
  });

  it("acknowledges a batch of unusable rewards without publishing", async () => {
    const source = new MemoryRewardSource();
    const learner = new BanditLearner(createBandit(config), { store: new MemorySnapshotStore() });
    const stop = new AbortController();
    const loop = runLearnerLoop(source, learner, { signal: stop.signal, blockMs: 10 });
    source.push(reward(1, { banditContext: [] }));
    await vi.waitFor(() => expect(learner.stats().skipped).toBe(1));
    await vi.waitFor(() => expect(source.pendingIds()).toEqual([]));
    stop.abort();
    await loop;
  });

  it("stops without acknowledging when another learner published a higher counter", async () => {
    const source = new MemoryRewardSource();
    const store = new MemorySnapshotStore();
    const other = new BanditLearner(createBandit(config), { store, startCounter: 50 });
    other.apply([reward(0)]);
    await other.publish();
    const learner = new BanditLearner(createBandit(config), { store, publishEveryRewards: 1 });
    source.push(reward(1));
    const end = await runLearnerLoop(source, learner, { signal: new AbortController().signal, blockMs: 10 });
    expect(end).toBe("superseded");
    expect(source.pendingIds()).toHaveLength(1);
  });

  it("keeps going after a failed read", async () => {
    const source = new MemoryRewardSource();
    let failures = 1;
    const read = source.read.bind(source);
    source.read = (max, block) => (failures-- > 0 ? Promise.reject(new Error("boom")) : read(max, block));
    const learner = new BanditLearner(createBandit(config), {
      store: new MemorySnapshotStore(),
      publishEveryRewards: 1,
    });
    const stop = new AbortController();
    const errors: string[] = [];
    const loop = runLearnerLoop(source, learner, {
      signal: stop.signal,
      blockMs: 10,
      retryMs: 10,
      onError: (_e, during) => errors.push(during),
    });
    source.push(reward(1));
    await vi.waitFor(() => expect(learner.stats().applied).toBe(1));
    stop.abort();
    await loop;
    expect(errors).toEqual(["read"]);
  });
});
