/** The contract every RewardStore passes (memory and Redis; see decision-stores.test files). */
import { describe, expect, it } from "vitest";
import type { JoinedReward } from "../../src/decisioning/decision-record.js";
import { decisionRecord, HOUR, sleep } from "./decision-fixtures.js";
import { collect, type DecisionStoresFactory } from "./decision-stores.js";

const streamOf = async (rewards: { range(): AsyncIterable<{ reward: JoinedReward }> }) =>
  (await collect(rewards.range())).map((e) => e.reward);

export function runRewardStoreContract(name: string, makeStores: DecisionStoresFactory): void {
  describe(`${name} reward store contract`, () => {
    it("joins a reward to a served action with the decision's probability, context and prior, and emits it", async () => {
      const { log, rewards } = makeStores();
      const record = decisionRecord();
      await log.append(record);
      const now = record.createdAt + 1000;
      const result = await rewards.join(
        { decisionId: record.decisionId, actionId: "loan_personal", reward: 1, outcome: "accepted" },
        now,
      );
      const expected: JoinedReward = {
        decisionId: record.decisionId,
        actionId: "loan_personal",
        reward: 1,
        outcome: "accepted",
        source: "api",
        probability: 0.3,
        banditContext: record.banditContext,
        prior: 0.2,
        algorithm: "thompson",
        snapshotVersion: "s-7",
        customerId: record.customerId,
        joinedAt: now,
      };
      expect(result).toEqual({ status: "joined", reward: expected, deadline: record.rewardDeadline });
      expect(await streamOf(rewards)).toEqual([expected]);
    });

    it("answers a second reward for the same action with the first join and emits nothing more", async () => {
      const { log, rewards } = makeStores();
      const record = decisionRecord();
      await log.append(record);
      const first = await rewards.join(
        { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 },
        record.createdAt + 1,
      );
      const again = await rewards.join(
        { decisionId: record.decisionId, actionId: "card_cashback", reward: 0, outcome: "rejected" },
        record.createdAt + 2,
      );
      expect(first.status).toBe("joined");
      expect(again).toEqual({ ...first, status: "duplicate" });
      // Still a duplicate after the window closed: a retry stays idempotent.
      const late = await rewards.join(
        { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 },
        record.rewardDeadline + HOUR,
      );
      expect(late.status).toBe("duplicate");
      expect(await streamOf(rewards)).toHaveLength(1);
    });

    it("joins concurrent rewards for one action once", async () => {
      const { log, rewards, rewardsElsewhere } = makeStores();
      const record = decisionRecord();
      await log.append(record);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? rewards : rewardsElsewhere).join(
            { decisionId: record.decisionId, actionId: "card_cashback", reward: i },
            record.createdAt + 1,
          ),
        ),
      );
      expect(results.filter((r) => r.status === "joined")).toHaveLength(1);
      expect(results.filter((r) => r.status === "duplicate")).toHaveLength(9);
      expect(await streamOf(rewards)).toHaveLength(1);
    });

    it("refuses unknown decisions, unserved actions and late rewards", async () => {
      const { log, rewards } = makeStores();
      const record = decisionRecord();
      await log.append(record);
      const at = record.createdAt + 1;
      expect(
        await rewards.join({ decisionId: "d-unknown", actionId: "card_cashback", reward: 1 }, at),
      ).toEqual({
        status: "unknown_decision",
      });
      expect(
        await rewards.join({ decisionId: record.decisionId, actionId: "savings_round_up", reward: 1 }, at),
      ).toEqual({
        status: "action_not_served",
        served: ["card_cashback", "loan_personal"],
      });
      expect(
        await rewards.join(
          { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 },
          record.rewardDeadline + 1,
        ),
      ).toEqual({ status: "window_closed", deadline: record.rewardDeadline });
      // The deadline itself is still inside the window.
      const onTime = await rewards.join(
        { decisionId: record.decisionId, actionId: "loan_personal", reward: 1 },
        record.rewardDeadline,
      );
      expect(onTime.status).toBe("joined");
      expect(await streamOf(rewards)).toHaveLength(1);
    });

    it("emits the default reward once for every served action left unrewarded when the window closes", async () => {
      const { log, rewards } = makeStores();
      const record = decisionRecord({ defaultReward: -0.25 });
      const open = decisionRecord({ createdAt: record.createdAt + 3 * HOUR });
      await log.append(record);
      await log.append(open);
      await rewards.join(
        { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 },
        record.createdAt + 1,
      );
      expect(await rewards.sweepExpired(record.rewardDeadline, 100)).toEqual([]); // not yet: deadline itself is open
      const sweptAt = record.rewardDeadline + 1;
      const swept = await rewards.sweepExpired(sweptAt, 100);
      expect(swept).toEqual([
        expect.objectContaining({
          decisionId: record.decisionId,
          actionId: "loan_personal",
          reward: -0.25,
          source: "default",
          probability: 0.3,
          prior: 0.2,
          joinedAt: sweptAt,
        }),
      ]);
      expect(swept[0]).not.toHaveProperty("outcome");
      expect(await rewards.sweepExpired(sweptAt + HOUR, 100)).toEqual([]);
      const late = await rewards.join(
        { decisionId: record.decisionId, actionId: "loan_personal", reward: 1 },
        sweptAt + 2,
      );
      expect(late).toEqual({ status: "window_closed", deadline: record.rewardDeadline });
      const stream = await streamOf(rewards);
      expect(stream.map((r) => [r.actionId, r.source])).toEqual([
        ["card_cashback", "api"],
        ["loan_personal", "default"],
      ]);
    });

    it("sweeps at most max decisions per call, earliest deadline first", async () => {
      const { log, rewards } = makeStores();
      const t = Date.now();
      const records = [3, 1, 2].map((h) => decisionRecord({ createdAt: t, rewardDeadline: t + h * HOUR }));
      for (const r of records) await log.append(r);
      const first = await rewards.sweepExpired(t + 4 * HOUR, 1);
      expect(new Set(first.map((r) => r.decisionId))).toEqual(new Set([records[1]!.decisionId]));
      const rest = await rewards.sweepExpired(t + 4 * HOUR, 10);
      expect(rest.map((r) => r.decisionId)).toEqual([
        records[2]!.decisionId,
        records[2]!.decisionId,
        records[0]!.decisionId,
        records[0]!.decisionId,
      ]);
    });

    it("emits each default exactly once with two sweepers racing", async () => {
      const { log, rewards, rewardsElsewhere } = makeStores();
      const t = Date.now();
      const records = Array.from({ length: 40 }, () => decisionRecord({ createdAt: t }));
      for (const r of records) await log.append(r);
      const now = t + 2 * HOUR;
      const sweeps = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? rewards : rewardsElsewhere).sweepExpired(now, 7)),
      );
      const more = await Promise.all([
        rewards.sweepExpired(now, 100),
        rewardsElsewhere.sweepExpired(now, 100),
      ]);
      const emitted = [...sweeps, ...more].flat();
      expect(emitted).toHaveLength(80);
      expect(new Set(emitted.map((r) => `${r.decisionId}/${r.actionId}`)).size).toBe(80);
      expect(await streamOf(rewards)).toHaveLength(80);
    });

    it("treats a decision past its retention as unknown", async () => {
      const { log, rewards } = makeStores({ retentionMarginMs: 100 });
      const createdAt = Date.now();
      const record = decisionRecord({ createdAt, rewardDeadline: createdAt + 100 });
      await log.append(record);
      await sleep(350);
      const now = Date.now();
      expect(
        await rewards.join({ decisionId: record.decisionId, actionId: "card_cashback", reward: 1 }, now),
      ).toEqual({
        status: "unknown_decision",
      });
      expect(await rewards.sweepExpired(now, 10)).toEqual([]);
    });
  });
}
