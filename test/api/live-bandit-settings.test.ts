/**
 * A policy change reaches the bandit that serves decisions at once, before any snapshot and after
 * one: the learned arms are served with the active policy's exploration settings.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "../../src/policy/index.js";
import { sleep } from "../decisioning/decision-fixtures.js";
import { uniqueCustomer } from "../support/event-factory.js";
import { postJson, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ store: "memory" });
});
afterAll(() => app.close());

function withBandit(bandit: Partial<PolicyDocument["bandit"]>): PolicyDocument {
  const { document } = app.services.policyService.current().policy;
  return { ...document, bandit: { ...document.bandit, ...bandit } };
}

const exploration = () => app.services.bandit.current().config.exploration;

describe("the policy's bandit settings", () => {
  it("apply at once to the cold bandit and to a learned snapshot's arms", async () => {
    expect(exploration().algorithm).toBe("thompson");
    await app.services.policyService.put(withBandit({ algorithm: "linucb" }));
    expect(exploration().algorithm).toBe("linucb");

    // Rewards through the embedded learner, which publishes a snapshot within a second.
    for (let i = 0; i < 5; i++) {
      const decided = await postJson(`${app.url}/v1/decisions`, {
        customerId: uniqueCustomer("live"),
        journey: "cross_sell",
        step: "browse",
        channel: "web",
      });
      const { decisionId, actions } = decided.body;
      await postJson(`${app.url}/v1/rewards`, { decisionId, actionId: actions[0].actionId, reward: 1 });
    }
    for (let i = 0; i < 40 && app.services.bandit.version() === undefined; i++) await sleep(100);
    expect(app.services.bandit.version()).toBeDefined();
    expect(exploration().algorithm).toBe("linucb");
    expect(app.services.bandit.current().snapshot().arms.length).toBeGreaterThan(0);

    await app.services.policyService.put(
      withBandit({ algorithm: "thompson", thompson: { posteriorScale: 0.5, ridge: 1, draws: 64 } }),
    );
    expect(exploration()).toEqual({ algorithm: "thompson", posteriorScale: 0.5, draws: 64 });
    expect(app.services.bandit.current().snapshot().arms.length).toBeGreaterThan(0);
  });
});
