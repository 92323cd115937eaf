/** The decision endpoint's check of the journey and step against the active policy. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueCustomer } from "../support/event-factory.js";
import { postJson, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ store: "memory" });
});
afterAll(() => app.close());

type Placement = { journey: string; steps?: string[] };

describe("placement check", () => {
  it("replays a keyed decision after the policy dropped its step, and refuses a new key there", async () => {
    const customerId = uniqueCustomer();
    const request = {
      customerId,
      journey: "servicing",
      step: "statement",
      channel: "web",
      idempotencyKey: "k1",
    };
    const first = await postJson(`${app.url}/v1/decisions`, request);
    expect(first.status).toBe(200);

    // The product owner drops the step from the journey and from every action's placements.
    const document = structuredClone(app.services.policyService.current().policy.document) as {
      journeys: Record<string, string[]>;
      actions: { placements: Placement[] }[];
    };
    document.journeys.servicing = document.journeys.servicing!.filter((s) => s !== "statement");
    for (const action of document.actions)
      action.placements = action.placements.flatMap((p) => {
        if (!p.steps) return [p];
        const steps = p.steps.filter((s) => s !== "statement");
        return steps.length > 0 ? [{ ...p, steps }] : [];
      });
    await app.services.policyService.put(document);

    const retry = await postJson(`${app.url}/v1/decisions`, request);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ decisionId: first.body.decisionId, replayed: true });

    const fresh = await postJson(`${app.url}/v1/decisions`, { ...request, idempotencyKey: "k2" });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.details).toEqual([
      { field: "step", reason: expect.stringContaining('"statement" is not a step of journey "servicing"') },
    ]);
  });
});
