import { describe, expect, it } from "vitest";
import { contactRules } from "../../src/decisioning/contact-rules.js";
import { MemoryContactStore } from "../../src/decisioning/memory-contact-store.js";
import { runContactStoreContract } from "./contact-store.contract.js";
import { DAY } from "./decision-fixtures.js";

runContactStoreContract("memory", () => new MemoryContactStore());

describe("memory contact store expiry", () => {
  it("forgets a customer once the retention plus the margin has passed", async () => {
    const store = new MemoryContactStore({ ttlMarginMs: DAY });
    const rules = contactRules({ perCustomer: [{ max: 3, days: 7 }] });
    await store.recordImpressions("c1", [{ actionId: "a", businessUnit: "u", channel: "web" }], rules, 0);
    expect((await store.history("c1", rules.retentionMs + DAY - 1)).impressions).toHaveLength(1);
    expect((await store.history("c1", rules.retentionMs + DAY)).impressions).toHaveLength(0);
  });
});
