/**
 * When an exploration limit holds back the action a posterior draw put first, the answer leads with
 * the greedy action explained at its posterior mean and names the held-back action.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/index.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ store: "memory" });
});
afterAll(() => app.close());

describe("the explanation of an overruled draw", () => {
  it("explains the first action by its posterior mean and names the action held back", async () => {
    const { decisionService, policyService, featureService } = app.services;
    const document = structuredClone(policyService.current().policy.document) as {
      actions: { exploration?: unknown }[];
    };
    for (const action of document.actions) action.exploration = { enabled: true, maxProbability: 0.02 };
    const policy = loadPolicy(document);
    const request = {
      customerId: "c-overruled",
      journey: "cross_sell",
      step: "browse",
      channel: "web" as const,
      context: {},
      limit: 2,
    };
    let overruled = 0;
    for (let i = 0; i < 200; i++) {
      const record = await decisionService.dryRun(request, {
        policy,
        features: featureService.defaults(request.customerId),
        decisionId: `overruled-${i}`,
      });
      const first = record.chosen[0];
      if (!first) continue;
      const explanation = record.explanations?.[first.actionId];
      if (!explanation) throw new Error(`no explanation for ${first.actionId}`);
      const [priority, ...rest] = explanation.reasons;
      const heldBack = rest.find((r) => r.includes("held back"));
      if (!heldBack) continue;
      overruled++;
      expect(heldBack).toMatch(
        /the best expected priority, first because the exploration limit held back \w+/,
      );
      // At the posterior mean: one P(accept), not a sampled one beside its centre.
      expect(priority).toMatch(/^priority [\d.]+ = P\(accept\) [\d.]+ x value/);
      const { estimate, value, businessUnitWeight, lever, contextWeight } = explanation.priority;
      expect(first.score).toBeCloseTo(estimate * value * businessUnitWeight * lever * contextWeight, 9);
    }
    expect(overruled).toBeGreaterThan(0);
  });
});
