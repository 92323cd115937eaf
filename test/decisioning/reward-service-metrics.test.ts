/** The reward service reports each posted reward's outcome and the default rewards it emits. */
import { describe, expect, it } from "vitest";
import { contactRules } from "../../src/decisioning/contact-rules.js";
import { MemoryContactStore } from "../../src/decisioning/memory-contact-store.js";
import { createMemoryDecisionStores } from "../../src/decisioning/memory-decision-stores.js";
import { RewardService } from "../../src/decisioning/reward-service.js";
import { decisionRecord } from "./decision-fixtures.js";

describe("reward service metrics", () => {
  it("counts outcomes, including refused ones, and the default rewards a sweep emits", async () => {
    const stores = createMemoryDecisionStores();
    const outcomes: string[] = [];
    let defaults = 0;
    const service = new RewardService({
      rewards: stores.rewardStore,
      contacts: new MemoryContactStore(),
      contactRules: () => contactRules({ defaults: { cooldownHours: 24, suppressionDays: 30 } }),
      metrics: { reward: (s) => outcomes.push(s), defaults: (n) => (defaults += n) },
    });
    const record = decisionRecord();
    await stores.decisionLog.append(record);
    const reward = { decisionId: record.decisionId, actionId: "card_cashback", reward: 1 };
    await service.recordReward(reward, record.createdAt + 1);
    await service.recordReward(reward, record.createdAt + 2);
    await expect(
      service.recordReward({ ...reward, actionId: "loan_personal" }, record.rewardDeadline + 1),
    ).rejects.toThrow();
    await expect(service.recordReward({ ...reward, decisionId: "nope" })).rejects.toThrow();
    expect(outcomes).toEqual(["joined", "duplicate", "window_closed", "unknown_decision"]);

    const swept = await service.sweepExpired(record.rewardDeadline + 1);
    expect(swept.length).toBeGreaterThan(0);
    expect(defaults).toBe(swept.length);
  });
});
