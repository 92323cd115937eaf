/**
 * DECISION_LOG_MAX_LENGTH bounds the decision log of the store the service runs on: the embedded one
 * (records as objects in the process, default 100,000) and Redis (default 1,000,000). Real services,
 * real decisions; the cap is approximate on both (`MAXLEN ~`, and the memory log trims by a tenth).
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { ACTION_IDS } from "../../src/generator/index.js";
import { startTestApp } from "../support/test-app.js";
import { collect } from "./decision-stores.js";

const decide = (i: number) => ({
  customerId: `c-log-${i}`,
  journey: "cross_sell",
  step: "browse",
  channel: "web" as const,
  context: {},
  candidates: [...ACTION_IDS],
  limit: 1,
});

describe("DECISION_LOG_MAX_LENGTH", () => {
  it("is optional, and refuses a length too small to keep a useful log", () => {
    expect(loadConfig({}).DECISION_LOG_MAX_LENGTH).toBeUndefined();
    expect(loadConfig({ DECISION_LOG_MAX_LENGTH: "250000" }).DECISION_LOG_MAX_LENGTH).toBe(250_000);
    expect(() => loadConfig({ DECISION_LOG_MAX_LENGTH: "10" })).toThrow(/DECISION_LOG_MAX_LENGTH="10"/);
    expect(() => loadConfig({ DECISION_LOG_MAX_LENGTH: "lots" })).toThrow(/DECISION_LOG_MAX_LENGTH="lots"/);
  });

  for (const store of ["memory", "redis"] as const) {
    it(`caps the ${store} store's decision log near the configured length`, async () => {
      const app = await startTestApp({ store, env: { DECISION_LOG_MAX_LENGTH: "1000" } });
      try {
        for (let i = 0; i < 1_500; i += 50) {
          await Promise.all(
            Array.from({ length: 50 }, (_, k) => app.services.decisionService.decide(decide(i + k))),
          );
        }
        const kept = (await collect(app.services.decisionLog.range())).length;
        expect(kept).toBeGreaterThanOrEqual(1_000);
        expect(kept).toBeLessThan(1_500);
      } finally {
        await app.close();
      }
    }, 60_000);
  }
});
