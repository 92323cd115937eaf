/**
 * A reward posted right after a fallback answer (the decision's write ran past the budget and was
 * still in flight) waits for that write instead of finding no decision. Real Redis stores; the write
 * in flight is the real log append, started later.
 */
import { afterAll, describe, expect, it } from "vitest";
import { contactRulesOf } from "../../src/decisioning/contact-rules.js";
import { RedisContactStore } from "../../src/decisioning/redis-contact-store.js";
import { RedisDecisionLog } from "../../src/decisioning/redis-decision-log.js";
import { RedisRewardStore } from "../../src/decisioning/redis-reward-store.js";
import { RewardService } from "../../src/decisioning/reward-service.js";
import { DecisionNotFoundError } from "../../src/errors/decision-not-found-error.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { createTestRedis } from "../support/test-redis.js";
import { decisionRecord, sleep } from "./decision-fixtures.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

async function setUp() {
  const keyPrefix = `${shared.prefix}:${Math.random().toString(36).slice(2, 8)}`;
  const log = new RedisDecisionLog(shared.redis, { keyPrefix });
  const rules = contactRulesOf(await loadPolicyFile("data/policies/bank-policy.yaml"));
  const deps = {
    rewards: new RedisRewardStore(shared.redis, { keyPrefix }),
    contacts: new RedisContactStore(shared.redis, { keyPrefix }),
    contactRules: () => rules,
  };
  return { log, deps };
}

describe("a reward for a decision whose write is still in flight", () => {
  it("waits for the write and joins", async () => {
    const { log, deps } = await setUp();
    const record = decisionRecord();
    // The decision service answered (fallback) and its write lands 50 ms later.
    const write = sleep(50).then(() => log.append(record));
    const rewards = new RewardService({
      ...deps,
      unstoredDecision: (id) => (id === record.decisionId ? write : undefined),
    });
    const receipt = await rewards.recordReward({
      decisionId: record.decisionId,
      actionId: "card_cashback",
      reward: 1,
    });
    expect(receipt).toMatchObject({ status: "joined", decisionId: record.decisionId, reward: 1 });
  });

  it("is still a 404 for a decision no write is pending for, and after a write that failed", async () => {
    const { deps } = await setUp();
    const record = decisionRecord();
    const failed = Promise.reject(new Error("redis went away")).catch(() => undefined);
    const rewards = new RewardService({
      ...deps,
      unstoredDecision: (id) => (id === record.decisionId ? failed : undefined),
    });
    for (const decisionId of [record.decisionId, "never-made"])
      await expect(
        rewards.recordReward({ decisionId, actionId: "card_cashback", reward: 1 }),
      ).rejects.toThrow(DecisionNotFoundError);
  });
});
