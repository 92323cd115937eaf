/**
 * Exploration is seeded by the policy's `bandit.seed` (else DECISION_SEED) with each decision id: the
 * same seed answers the same decision ids identically, another seed explores differently.
 */
import { describe, expect, it } from "vitest";
import { postJson, startTestApp } from "../support/test-app.js";

async function answers(seed: number): Promise<string[]> {
  const app = await startTestApp({ store: "memory" });
  try {
    const { document } = app.services.policyService.current().policy;
    await app.services.policyService.put({ ...document, bandit: { ...document.bandit, seed } });
    const out: string[] = [];
    // An idempotency key makes the decision id a function of customer and key: the same in every app.
    for (let i = 0; i < 12; i++) {
      const res = await postJson(`${app.url}/v1/decisions`, {
        customerId: `seeded-${i}`,
        journey: "cross_sell",
        step: "browse",
        channel: "web",
        limit: 3,
        idempotencyKey: "seed-test",
      });
      out.push(JSON.stringify(res.body.actions.map((a: any) => [a.actionId, a.probability])));
    }
    return out;
  } finally {
    await app.close();
  }
}

describe("exploration seed", () => {
  it("comes from the policy: the same seed gives the same answers, another seed others", async () => {
    const [a, again, other] = [await answers(7), await answers(7), await answers(8)];
    expect(again).toEqual(a);
    expect(other).not.toEqual(a);
  });
});
