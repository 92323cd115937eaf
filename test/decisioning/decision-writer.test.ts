/**
 * The decision writer contract, on the embedded stores and on Redis (one script call per turn): what
 * a served decision writes is its impressions, caps re-checked at write time, and its log record,
 * logged only when every impression was recorded.
 */
import { afterAll, describe, expect, it } from "vitest";
import { contactRules } from "../../src/decisioning/contact-rules.js";
import type { ContactStore } from "../../src/decisioning/contact-store.js";
import type { DecisionLog } from "../../src/decisioning/decision-log.js";
import type { DecisionRecord } from "../../src/decisioning/decision-record.js";
import { type DecisionWriter, writeEachStore } from "../../src/decisioning/decision-writer.js";
import { MemoryContactStore } from "../../src/decisioning/memory-contact-store.js";
import { createMemoryDecisionStores } from "../../src/decisioning/memory-decision-stores.js";
import { RedisContactStore } from "../../src/decisioning/redis-contact-store.js";
import { RedisDecisionLog } from "../../src/decisioning/redis-decision-log.js";
import { RedisDecisionWriter } from "../../src/decisioning/redis-decision-writer.js";
import { createTestRedis } from "../support/test-redis.js";
import { chosen, decisionRecord, uniqueId } from "./decision-fixtures.js";
import { loggedRecords } from "./decision-stores.js";

const T0 = Date.UTC(2026, 5, 15, 12);
const rules = contactRules({
  perCustomer: [{ max: 2, days: 7 }],
  defaults: { cooldownHours: 0, suppressionDays: 0 },
});

interface Stores {
  readonly writer: DecisionWriter;
  readonly contacts: ContactStore;
  readonly log: DecisionLog;
}

function served(customerId: string, actionIds: string[], overrides: Partial<DecisionRecord> = {}) {
  const record = decisionRecord({
    customerId,
    createdAt: T0,
    rewardDeadline: Date.now() + 3_600_000,
    chosen: actionIds.map((id, i) => chosen(id, "cards", i + 1, 0.5)),
    ...overrides,
  });
  return {
    customerId,
    impressions: record.chosen.map((a) => ({ actionId: a.actionId, businessUnit: "cards", channel: "web" })),
    rules,
    now: T0,
    record,
  };
}

function runDecisionWriterContract(name: string, makeStores: () => Stores): void {
  describe(`${name} decision writer`, () => {
    const { writer, contacts, log } = makeStores();

    it("records the impressions and logs the record", async () => {
      const write = served(uniqueId("c"), ["card_cashback", "card_travel"]);
      const outcome = await writer.write(write);
      expect(outcome).toEqual({ recorded: ["card_cashback", "card_travel"], refused: [], logged: true });
      expect((await loggedRecords(log)).get(write.record.decisionId)).toEqual(write.record);
      const history = await contacts.history(write.customerId, T0);
      expect(history.impressions.map((i) => i.actionId)).toEqual(["card_cashback", "card_travel"]);
    });

    it("logs a decision that served nothing", async () => {
      const write = served(uniqueId("c"), []);
      expect(await writer.write(write)).toEqual({ recorded: [], refused: [], logged: true });
      expect((await loggedRecords(log)).get(write.record.decisionId)).toEqual(write.record);
    });

    it("refuses an impression over a cap and then leaves the logging to the caller", async () => {
      const id = uniqueId("c");
      await writer.write(served(id, ["card_cashback"]));
      const write = served(id, ["card_travel", "card_balance_transfer"]);
      const outcome = await writer.write(write);
      expect(outcome.recorded).toEqual(["card_travel"]);
      expect(outcome.refused.map((r) => r.actionId)).toEqual(["card_balance_transfer"]);
      expect(outcome.refused[0]!.reason).toMatch(/at most 2/);
      expect(outcome.logged).toBe(false);
      expect((await loggedRecords(log)).has(write.record.decisionId)).toBe(false);
    });

    it("never exceeds a cap when many decisions for one customer write in the same turn", async () => {
      const id = uniqueId("c");
      const writes = Array.from({ length: 6 }, (_, i) => served(id, [`action_${i}`]));
      const outcomes = await Promise.all(writes.map((w) => writer.write(w)));
      expect(outcomes.filter((o) => o.logged)).toHaveLength(2);
      expect(outcomes.flatMap((o) => o.recorded)).toEqual(["action_0", "action_1"]);
      expect((await contacts.history(id, T0)).impressions).toHaveLength(2);
      const logged = await loggedRecords(log);
      expect(writes.map((w) => logged.has(w.record.decisionId))).toEqual([
        true,
        true,
        false,
        false,
        false,
        false,
      ]);
    });

    it("rejects a record it cannot log, writing nothing", async () => {
      const write = served(uniqueId("c"), ["card_cashback"], { defaultReward: Number.NaN });
      await expect(writer.write(write)).rejects.toThrow(/defaultReward/);
      expect((await contacts.history(write.customerId, T0)).impressions).toHaveLength(0);
    });
  });
}

runDecisionWriterContract("embedded", () => {
  const contacts = new MemoryContactStore();
  const { decisionLog } = createMemoryDecisionStores();
  return { writer: writeEachStore(contacts, decisionLog), contacts, log: decisionLog };
});

const shared = createTestRedis();
afterAll(() => shared.cleanup());

runDecisionWriterContract("redis", () => {
  const options = { keyPrefix: shared.prefix };
  return {
    writer: new RedisDecisionWriter(shared.redis, options),
    contacts: new RedisContactStore(shared.redis, options),
    log: new RedisDecisionLog(shared.redis, options),
  };
});
