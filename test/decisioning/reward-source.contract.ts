/** The contract of the learner's reward source (memory and Redis; see decision-stores.test files). */
import { describe, expect, it } from "vitest";
import { decisionRecord, sleep } from "./decision-fixtures.js";
import type { DecisionStores, DecisionStoresFactory } from "./decision-stores.js";

async function logWithRewards(stores: DecisionStores, n: number) {
  const records = Array.from({ length: n }, () => decisionRecord());
  for (const r of records) {
    await stores.log.append(r);
    await stores.rewards.join(
      { decisionId: r.decisionId, actionId: "card_cashback", reward: 1 },
      r.createdAt + 1,
    );
  }
  return records;
}

export function runRewardSourceContract(name: string, makeStores: DecisionStoresFactory): void {
  describe(`${name} reward source contract`, () => {
    it("delivers every reward once, oldest first, including those emitted before it first read", async () => {
      const stores = makeStores();
      const records = await logWithRewards(stores, 5);
      const source = stores.source({ minIdleMs: 60_000 });
      const first = await source.read(3, 0);
      const second = await source.read(10, 0);
      expect([...first, ...second].map((e) => e.reward.decisionId)).toEqual(records.map((r) => r.decisionId));
      expect(first[0]?.reward).toMatchObject({
        actionId: "card_cashback",
        reward: 1,
        source: "api",
        probability: 0.7,
      });
      expect(await source.read(10, 0)).toEqual([]);
    });

    it("delivers again what was not acknowledged within minIdleMs, and never what was", async () => {
      const stores = makeStores();
      const records = await logWithRewards(stores, 4);
      const source = stores.source({ minIdleMs: 100 });
      const delivered = await source.read(10, 0);
      expect(delivered).toHaveLength(4);
      await source.ack([delivered[0]!.id, delivered[2]!.id]);
      expect(await source.read(10, 0)).toEqual([]); // not idle long enough yet
      await sleep(150);
      const again = await source.read(10, 0);
      expect(again.map((e) => e.reward.decisionId)).toEqual([records[1]!.decisionId, records[3]!.decisionId]);
      expect(again.map((e) => e.id)).toEqual([delivered[1]!.id, delivered[3]!.id]);
      await source.ack(again.map((e) => e.id));
      await sleep(150);
      expect(await source.read(10, 0)).toEqual([]);
    });

    it("waits up to blockMs for a reward and wakes as soon as one is emitted", async () => {
      const stores = makeStores();
      const source = stores.source({ minIdleMs: 60_000 });
      const started = Date.now();
      expect(await source.read(10, 100)).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      const pending = source.read(10, 5_000);
      await sleep(50);
      const [record] = await logWithRewards(stores, 1);
      const got = await pending;
      expect(got.map((e) => e.reward.decisionId)).toEqual([record!.decisionId]);
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });
}
