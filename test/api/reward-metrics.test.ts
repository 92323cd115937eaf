/** Rewards counted by outcome in /metrics, over the whole app on real Redis. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueCustomer } from "../support/event-factory.js";
import { getJson, postJson, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const count = (metrics: string, outcome: string): number =>
  Number(new RegExp(`nba_rewards_total\\{outcome="${outcome}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);

describe("reward metrics", () => {
  it("counts posted rewards by outcome, so a burst of late or unknown rewards is visible", async () => {
    const decision = await postJson(`${app.url}/v1/decisions`, {
      customerId: uniqueCustomer(),
      journey: "cross_sell",
      step: "browse",
      channel: "web",
    });
    expect(decision.status).toBe(200);
    const { decisionId, actions } = decision.body as { decisionId: string; actions: { actionId: string }[] };
    expect(actions.length).toBeGreaterThan(0);
    const reward = { decisionId, actionId: actions[0]!.actionId, reward: 1 };
    expect((await postJson(`${app.url}/v1/rewards`, reward)).status).toBe(200);
    expect((await postJson(`${app.url}/v1/rewards`, reward)).status).toBe(200);
    expect(
      (await postJson(`${app.url}/v1/rewards`, { ...reward, decisionId: "no-such-decision" })).status,
    ).toBe(404);
    expect((await postJson(`${app.url}/v1/rewards`, { ...reward, actionId: "not_served" })).status).toBe(400);

    const metrics = (await getJson(`${app.url}/metrics`)).body as string;
    expect(count(metrics, "joined")).toBe(1);
    expect(count(metrics, "duplicate")).toBe(1);
    expect(count(metrics, "unknown_decision")).toBe(1);
    expect(count(metrics, "action_not_served")).toBe(1);
    expect(metrics).toContain("nba_default_rewards_total");
  });
});
