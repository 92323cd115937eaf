/** The contract every DecisionLog passes (memory and Redis; see decision-stores.test files). */
import { describe, expect, it } from "vitest";
import { decisionRecord, HOUR, keyedId, sleep } from "./decision-fixtures.js";
import { collect, type DecisionStoresFactory } from "./decision-stores.js";

export function runDecisionLogContract(name: string, makeStores: DecisionStoresFactory): void {
  describe(`${name} decision log contract`, () => {
    it("returns by id the record of a decision made under an idempotency key, and null for an id it never logged", async () => {
      const { log } = makeStores();
      const record = decisionRecord({ decisionId: keyedId() });
      await log.append(record);
      expect(await log.get(record.decisionId)).toEqual(record);
      expect(await log.get("d-never")).toBeNull();
    });

    it("keeps no whole record by id for a decision without an idempotency key: it is in the log only", async () => {
      const { log } = makeStores();
      const record = decisionRecord();
      await log.append(record);
      expect(await log.get(record.decisionId)).toBeNull();
      expect((await collect(log.range())).map((e) => e.record)).toEqual([record]);
    });

    it("iterates records in log order across pages, by log time", async () => {
      const { log } = makeStores();
      const records = Array.from({ length: 7 }, () => decisionRecord());
      const before = Date.now();
      for (const r of records) await log.append(r);
      const entries = await collect(log.range({ pageSize: 2 }));
      expect(entries.map((e) => e.record)).toEqual(records);
      const ids = entries.map((e) => e.id);
      expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await collect(log.range({ since: Date.now() + HOUR }))).toEqual([]);
      expect((await collect(log.range({ since: before - 1000, pageSize: 3 }))).length).toBe(7);
      expect(await collect(log.range({ until: before - 1000 }))).toEqual([]);
    });

    it("keeps every record of a burst appended in one turn, in append order", async () => {
      const { log } = makeStores();
      // More than one batch of the Redis log (256 per script call), all appended before any settles.
      const records = Array.from({ length: 300 }, (_, i) =>
        decisionRecord(i === 299 ? { decisionId: keyedId() } : {}),
      );
      await Promise.all(records.map((r) => log.append(r)));
      expect((await collect(log.range())).map((e) => e.record.decisionId)).toEqual(
        records.map((r) => r.decisionId),
      );
      expect(await log.get(records[299]!.decisionId)).toEqual(records[299]);
    });

    it("lets one claim hold a decision id until its time runs out", async () => {
      const { log } = makeStores();
      const id = decisionRecord().decisionId;
      expect(await log.claim(id, 150)).toBe(true);
      expect(await log.claim(id, 150)).toBe(false);
      expect(await log.claim(`${id}-other`, 150)).toBe(true);
      await sleep(250);
      expect(await log.claim(id, 150)).toBe(true);
    });

    it("keeps the first stored decision when an id is appended twice", async () => {
      const { log } = makeStores();
      const first = decisionRecord({ decisionId: keyedId() });
      await log.append(first);
      await log.append({ ...first, journey: "cross_sell" });
      expect((await log.get(first.decisionId))?.journey).toBe("servicing");
      expect((await collect(log.range())).map((e) => e.record.journey)).toEqual(["servicing", "cross_sell"]);
    });

    it("keeps a decision by id until its deadline plus the margin", async () => {
      const { log } = makeStores({ retentionMarginMs: 150 });
      const createdAt = Date.now();
      const record = decisionRecord({ decisionId: keyedId(), createdAt, rewardDeadline: createdAt + 100 });
      await log.append(record);
      expect(await log.get(record.decisionId)).not.toBeNull();
      await sleep(400);
      expect(await log.get(record.decisionId)).toBeNull();
      expect(await collect(log.range())).toHaveLength(1);
    });

    it("logs a decision that served nothing", async () => {
      const { log } = makeStores();
      const record = decisionRecord({
        decisionId: keyedId(),
        chosen: [],
        candidateProbabilities: {},
        priors: {},
        fallback: true,
      });
      await log.append(record);
      expect(await log.get(record.decisionId)).toEqual(record);
    });
  });
}
