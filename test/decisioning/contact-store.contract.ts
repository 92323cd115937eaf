/**
 * The contract every ContactStore passes (run by memory-contact-store.test.ts and
 * redis-contact-store.test.ts). Each test uses its own customer ids, so a store may be shared.
 */
import { describe, expect, it } from "vitest";
import { type ContactCandidate, contactViolations } from "../../src/decisioning/contact-history.js";
import { contactRules } from "../../src/decisioning/contact-rules.js";
import type { ContactStore } from "../../src/decisioning/contact-store.js";
import { DAY, HOUR, uniqueId } from "./decision-fixtures.js";

const T0 = Date.UTC(2026, 5, 15, 12);

const rules = contactRules({
  perCustomer: [{ max: 3, days: 7 }],
  perChannel: { email: [{ max: 1, days: 7 }] },
  perBusinessUnit: { mortgages: [{ max: 1, days: 14 }] },
  actions: {
    card_cashback: { cooldownHours: 48, suppressionDays: 30 },
    service_callback: { cooldownHours: 0, suppressionDays: 7 },
  },
  defaults: { cooldownHours: 24, suppressionDays: 30 },
});

/** Caps only: no cool-downs or suppression in the way. */
const capsOnly = (max: number) =>
  contactRules({ perCustomer: [{ max, days: 7 }], defaults: { cooldownHours: 0, suppressionDays: 0 } });

const web = (actionId: string, businessUnit = "cards"): ContactCandidate => ({
  actionId,
  businessUnit,
  channel: "web",
});

export function runContactStoreContract(name: string, makeStore: () => ContactStore): void {
  describe(`${name} contact store contract`, () => {
    const store = makeStore();

    it("has an empty history for a customer it has never seen", async () => {
      const history = await store.history(uniqueId("c"), T0);
      expect(history.impressions).toEqual([]);
      expect(history.rejections.size).toBe(0);
    });

    it("remembers impressions with their business unit, channel and time, and rejections", async () => {
      const id = uniqueId("c");
      const outcome = await store.recordImpressions(
        id,
        [web("card_cashback"), { actionId: "loan_personal", businessUnit: "loans", channel: "email" }],
        rules,
        T0,
      );
      expect(outcome).toEqual({ recorded: ["card_cashback", "loan_personal"], refused: [] });
      await store.recordRejection(id, "loan_personal", T0 + HOUR, rules);
      const history = await store.history(id, T0 + HOUR);
      expect(history.impressions).toEqual([
        { actionId: "card_cashback", businessUnit: "cards", channel: "web", ts: T0 },
        { actionId: "loan_personal", businessUnit: "loans", channel: "email", ts: T0 },
      ]);
      expect([...history.rejections]).toEqual([["loan_personal", T0 + HOUR]]);
    });

    it("judges the impressions of one call in order, each against those recorded before it", async () => {
      const id = uniqueId("c");
      const outcome = await store.recordImpressions(
        id,
        [web("a1"), web("a1"), web("a2"), web("a3"), web("a4")],
        rules,
        T0,
      );
      expect(outcome.recorded).toEqual(["a1", "a2", "a3"]);
      expect(outcome.refused).toEqual([
        { actionId: "a1", reason: "shown within the last 24 hours (cool-down)" },
        { actionId: "a4", reason: "per-customer cap reached: at most 3 impressions in 7 days" },
      ]);
    });

    it("refuses what contactViolations refuses, with the same reason", async () => {
      const id = uniqueId("c");
      await store.recordImpressions(
        id,
        [{ actionId: "e1", businessUnit: "cards", channel: "email" }],
        rules,
        T0,
      );
      await store.recordImpressions(id, [web("m1", "mortgages")], rules, T0 + HOUR);
      await store.recordRejection(id, "card_cashback", T0 + HOUR, rules);
      const now = T0 + 2 * HOUR;
      const history = await store.history(id, now);
      const candidates: ContactCandidate[] = [
        { actionId: "e2", businessUnit: "cards", channel: "email" }, // email cap 1/7d
        web("m2", "mortgages"), // mortgages cap 1/14d
        web("m1", "mortgages"), // its own cool-down comes first
        web("card_cashback"), // rejected: suppressed for 30 days
        web("fine"), // allowed
      ];
      const expected = candidates.map((c) => contactViolations(history, c, rules, now));
      expect(expected).toEqual([
        "channel email cap reached: at most 1 impressions in 7 days",
        "business unit mortgages cap reached: at most 1 impressions in 14 days",
        "shown within the last 24 hours (cool-down)",
        "rejected by the customer within the last 30 days (suppression)",
        undefined,
      ]);
      for (const [i, c] of candidates.entries()) {
        if (i === 4) continue;
        const outcome = await store.recordImpressions(id, [c], rules, now);
        expect(outcome).toEqual({ recorded: [], refused: [{ actionId: c.actionId, reason: expected[i] }] });
      }
      expect((await store.recordImpressions(id, [candidates[4]!], rules, now)).recorded).toEqual(["fine"]);
    });

    it("lets cool-downs, suppression and cap windows end", async () => {
      const id = uniqueId("c");
      await store.recordImpressions(id, [web("card_cashback")], rules, T0);
      expect(
        (await store.recordImpressions(id, [web("card_cashback")], rules, T0 + 47 * HOUR)).recorded,
      ).toEqual([]);
      expect(
        (await store.recordImpressions(id, [web("card_cashback")], rules, T0 + 48 * HOUR)).recorded,
      ).toEqual(["card_cashback"]);
      await store.recordRejection(id, "service_callback", T0, rules);
      const early = await store.recordImpressions(id, [web("service_callback")], rules, T0 + 7 * DAY - 1);
      expect(early.refused.map((r) => r.actionId)).toEqual(["service_callback"]);
      const late = await store.recordImpressions(id, [web("service_callback")], rules, T0 + 7 * DAY);
      expect(late.recorded).toEqual(["service_callback"]);

      const other = uniqueId("c");
      const cap = capsOnly(2);
      await store.recordImpressions(other, [web("x1"), web("x2")], cap, T0);
      expect((await store.recordImpressions(other, [web("x3")], cap, T0 + 7 * DAY - 1)).recorded).toEqual([]);
      expect((await store.recordImpressions(other, [web("x3")], cap, T0 + 7 * DAY)).recorded).toEqual(["x3"]);
    });

    it("keeps only the latest rejection of an action", async () => {
      const id = uniqueId("c");
      await store.recordRejection(id, "card_cashback", T0 + DAY, rules);
      await store.recordRejection(id, "card_cashback", T0, rules);
      await store.recordRejection(id, "card_cashback", T0 + DAY, rules);
      expect([...(await store.history(id, T0 + DAY)).rejections]).toEqual([["card_cashback", T0 + DAY]]);
    });

    it("drops entries older than the longest rule window when it next writes", async () => {
      const id = uniqueId("c");
      const short = contactRules({
        perCustomer: [{ max: 5, days: 2 }],
        defaults: { cooldownHours: 1, suppressionDays: 1 },
      });
      expect(short.retentionMs).toBe(2 * DAY);
      await store.recordImpressions(id, [web("old")], short, T0);
      await store.recordRejection(id, "old", T0, short);
      await store.recordImpressions(id, [web("new")], short, T0 + 2 * DAY);
      const history = await store.history(id, T0 + 2 * DAY);
      expect(history.impressions.map((i) => i.actionId)).toEqual(["new"]);
      expect(history.rejections.size).toBe(0);
    });

    it("never exceeds a cap however many decisions for one customer record at once", async () => {
      const id = uniqueId("c");
      const cap = capsOnly(3);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.recordImpressions(id, [web(`race_${i}`)], cap, T0 + i)),
      );
      const recorded = outcomes.flatMap((o) => o.recorded);
      expect(recorded).toHaveLength(3);
      expect(outcomes.flatMap((o) => o.refused)).toHaveLength(17);
      expect((await store.history(id, T0 + 20)).impressions.map((i) => i.actionId).sort()).toEqual(
        recorded.sort(),
      );
    });

    it("records nothing for an empty list", async () => {
      const id = uniqueId("c");
      expect(await store.recordImpressions(id, [], rules, T0)).toEqual({ recorded: [], refused: [] });
      expect((await store.history(id, T0)).impressions).toEqual([]);
    });
  });
}
