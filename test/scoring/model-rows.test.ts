import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { customerRow, type RowSource } from "../../src/decisioning/model-rows.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { loadModelVersion } from "../../src/scoring/load-model.js";

const placement = { journey: "retention", step: "home", channel: "app" };

describe("model rows", () => {
  it("take the placement from the context and nothing else the caller put there", () => {
    const row = customerRow({
      features: { tenure_months: 12 },
      profile: { age: 30 },
      context: { ...placement, activity_drop: 40, age: 99, tenure_months: 1e6, campaign: "spring" },
    }) as (name: string) => unknown;
    expect([row("journey"), row("step"), row("channel")]).toEqual(["retention", "home", "app"]);
    expect(row("tenure_months")).toBe(12);
    expect(row("age")).toBe(30);
    expect(row("activity_drop")).toBeUndefined();
    expect(row("campaign")).toBeUndefined();
  });

  it("score the promoted churn model the same whatever the caller's context holds", async () => {
    const registry = JSON.parse(readFileSync("models/registry.json", "utf8"));
    const model = await loadModelVersion("models", "churn", registry.models.churn.promoted);
    try {
      const rng = createRandom(5);
      const features: Record<string, number> = {};
      for (const name of FEATURE_PLAN.names) features[name] = Math.floor(rng.next() * 10);
      const source = (context: Record<string, unknown>): RowSource => ({ features, profile: {}, context });
      const forged = { ...placement, activity_drop: 40, log_tenure_years: -30, log_activity_30d: 9 };
      const [clean, attacked] = await Promise.all([
        model.predict([customerRow(source(placement))]),
        model.predict([customerRow(source(forged))]),
      ]);
      expect(attacked[0]).toBe(clean[0]);
    } finally {
      await model.release();
    }
  });
});
