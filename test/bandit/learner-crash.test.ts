/**
 * The learner on real Redis (snapshot store + reward stream consumer group, random key prefix): a
 * crash after publishing a snapshot but before acknowledging its entries must not apply any reward
 * twice after the restart, and a crash before publishing must not lose any.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { BanditState } from "../../src/bandit/bandit.js";
import { BanditLearner } from "../../src/bandit/bandit-learner.js";
import { decodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { runLearnerLoop } from "../../src/bandit/learner-loop.js";
import { resumeLearner } from "../../src/bandit/learner-resume.js";
import { RedisSnapshotStore } from "../../src/bandit/redis-snapshot-store.js";
import { rewardKeys } from "../../src/decisioning/decision-keys.js";
import type { JoinedReward } from "../../src/decisioning/decision-record.js";
import { RedisRewardSource } from "../../src/decisioning/redis-reward-source.js";
import { connectRedis } from "../../src/redis/connect.js";
import { createTestRedis } from "../support/test-redis.js";
import { TEST_DIM, testConfig } from "./bandit-fixtures.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

const config = testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 64 });
const ARMS = 4;

/** Reward i: action a(i mod 4), a context that differs per reward, reward 1 for every third. */
function reward(i: number): JoinedReward {
  return {
    decisionId: `d${i}`,
    actionId: `a${i % ARMS}`,
    reward: i % 3 === 0 ? 1 : 0,
    source: "api",
    probability: 0.5,
    banditContext: Array.from({ length: TEST_DIM }, (_, j) => (j === 0 ? 1 : Math.sin(i * (j + 1)))),
    prior: 0.1,
    algorithm: "thompson",
    snapshotVersion: "0-000000000000",
    customerId: `c${i}`,
    joinedAt: i,
  };
}

/** What each arm should hold when every reward in [0, n) was applied exactly once. */
function expectedCounts(n: number): Map<string, { count: number; rewardSum: number }> {
  const out = new Map<string, { count: number; rewardSum: number }>();
  for (let i = 0; i < n; i++) {
    const r = reward(i);
    const e = out.get(r.actionId) ?? { count: 0, rewardSum: 0 };
    out.set(r.actionId, { count: e.count + 1, rewardSum: e.rewardSum + r.reward });
  }
  return out;
}

const countsOf = (state: BanditState) =>
  new Map(state.arms.map((a) => [a.actionId, { count: a.count, rewardSum: a.rewardSum }]));

describe("learner crash between publish and acknowledgement (real Redis)", () => {
  it("applies every reward exactly once across the restart, pending entries of the dead consumer included", async () => {
    const keyPrefix = `${shared.prefix}:${randomUUID().slice(0, 8)}`;
    const stream = rewardKeys(keyPrefix).log;
    const add = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await shared.redis.xadd(stream, "*", "r", JSON.stringify(reward(i)));
    };
    await add(0, 80);

    // ---- learner A (consumer "a"), stepped by hand to crash at a precise point.
    const storeA = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix });
    const sourceA = new RedisRewardSource(connectRedis(shared.url), { keyPrefix, consumer: "a" });
    const a = new BanditLearner(createBandit(config), { store: storeA });
    // Batch 1: applied, published, acknowledged (the normal path).
    const batch1 = await sourceA.read(30, 1);
    a.apply(batch1.map((e) => e.reward));
    expect((await a.publish(batch1.map((e) => e.id)))?.published).toBe(true);
    await sourceA.ack(batch1.map((e) => e.id));
    // Batch 2: applied and published, then the process dies before the acknowledgement.
    const batch2 = await sourceA.read(30, 1);
    a.apply(batch2.map((e) => e.reward));
    expect((await a.publish(batch2.map((e) => e.id)))?.published).toBe(true);
    // Batch 3: applied in memory only, never published: it must be applied again after the restart.
    const batch3 = await sourceA.read(20, 1);
    a.apply(batch3.map((e) => e.reward));
    expect([batch1.length, batch2.length, batch3.length]).toEqual([30, 30, 20]);
    await sourceA.close();
    await storeA.close();
    // Both unacknowledged batches are still pending in the group, owned by the dead consumer.
    const [pendingCount] = (await shared.redis.xpending(stream, "learner")) as [number];
    expect(pendingCount).toBe(50);

    // Rewards keep arriving while the learner is down.
    await add(80, 100);

    // ---- learner B: another consumer name (a restarted process has another pid), resumed from the store.
    const storeB = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix });
    const sourceB = new RedisRewardSource(connectRedis(shared.url), {
      keyPrefix,
      consumer: "b",
      minIdleMs: 150, // take over the dead consumer's pending entries soon
    });
    const resumed = await resumeLearner(storeB, config.contextSchema, () => config, {
      publishEveryMs: 20,
      publishEveryRewards: 1_000,
    });
    expect(resumed.resumedFrom).toMatch(/^2-/);
    expect([...resumed.alreadyApplied]).toEqual(batch2.map((e) => e.id));
    const skipped: string[] = [];
    const stop = new AbortController();
    const loop = runLearnerLoop(sourceB, resumed.learner, {
      signal: stop.signal,
      batchSize: 25,
      blockMs: 20,
      alreadyApplied: resumed.alreadyApplied,
      onAlreadyApplied: (ids) => skipped.push(...ids),
    });
    // Run until everything is acknowledged and every reward reached a published snapshot.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [pending] = (await shared.redis.xpending(stream, "learner")) as [number];
      const latest = await storeB.latest();
      const total = latest ? decodeSnapshot(latest.text).state.arms.reduce((s, arm) => s + arm.count, 0) : 0;
      if ((pending === 0 && total >= 100) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    stop.abort();
    expect(await loop).toBe("stopped");
    await sourceB.close();

    const final = decodeSnapshot((await storeB.latest())!.text);
    await storeB.close();
    // Each reward applied once: 25 per arm, not 25 + the 30 / 4 of the unacknowledged batch again.
    expect(countsOf(final.state)).toEqual(expectedCounts(100));
    expect(resumed.learner.stats().applied).toBe(40); // batch 3 again (never published) and the 20 new ones
    // The last snapshot lists what it held unacknowledged when published (acknowledged just after).
    expect(final.unacked.length).toBeGreaterThan(0);
    const [pendingAfter] = (await shared.redis.xpending(stream, "learner")) as [number];
    expect(pendingAfter).toBe(0);
    // The unacknowledged batch was acknowledged at start, so it was never even delivered again.
    expect(skipped).toEqual([]);
  });

  it("never applies an entry the snapshot includes, even when acknowledging it first fails and it is delivered again", async () => {
    const keyPrefix = `${shared.prefix}:${randomUUID().slice(0, 8)}`;
    const stream = rewardKeys(keyPrefix).log;
    for (let i = 0; i < 40; i++) await shared.redis.xadd(stream, "*", "r", JSON.stringify(reward(i)));
    const storeA = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix });
    const sourceA = new RedisRewardSource(connectRedis(shared.url), { keyPrefix, consumer: "a" });
    const a = new BanditLearner(createBandit(config), { store: storeA });
    const batch = await sourceA.read(40, 1);
    a.apply(batch.map((e) => e.reward));
    await a.publish(batch.map((e) => e.id)); // ... and the process dies before acknowledging
    await sourceA.close();
    await storeA.close();

    // Restarted under the same consumer name: its own pending list is delivered again first.
    const storeB = new RedisSnapshotStore(connectRedis(shared.url), { keyPrefix });
    const inner = new RedisRewardSource(connectRedis(shared.url), { keyPrefix, consumer: "a" });
    let failures = 1;
    const flaky = {
      read: (max: number, blockMs: number) => inner.read(max, blockMs),
      ack: async (ids: readonly string[]) => {
        if (failures-- > 0) throw new Error("connection reset");
        await inner.ack(ids);
      },
      close: () => inner.close(),
    };
    const resumed = await resumeLearner(storeB, config.contextSchema, () => config, { publishEveryMs: 20 });
    const skipped: string[] = [];
    const errors: string[] = [];
    const stop = new AbortController();
    const loop = runLearnerLoop(flaky, resumed.learner, {
      signal: stop.signal,
      batchSize: 100,
      blockMs: 20,
      retryMs: 5,
      alreadyApplied: resumed.alreadyApplied,
      onAlreadyApplied: (ids) => skipped.push(...ids),
      onError: (_err, during) => errors.push(during),
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [pending] = (await shared.redis.xpending(stream, "learner")) as [number];
      if ((pending === 0 && skipped.length > 0) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    stop.abort();
    expect(await loop).toBe("stopped");
    await inner.close();
    const latest = decodeSnapshot((await storeB.latest())!.text);
    await storeB.close();
    expect(errors).toEqual(["ack"]);
    expect(skipped).toEqual(batch.map((e) => e.id));
    expect(resumed.learner.stats().applied).toBe(0);
    expect(countsOf(latest.state)).toEqual(expectedCounts(40));
  });
});
