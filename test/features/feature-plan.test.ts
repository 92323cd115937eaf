import { describe, expect, it } from "vitest";
import { FEATURE_DEFINITIONS } from "../../src/features/feature-definitions.js";
import { compileFeaturePlan, FEATURE_PLAN, FeatureDefinitionError } from "../../src/features/feature-plan.js";

describe("feature plan", () => {
  it("compiles the registry: at least 25 behaviour features over a 90-day horizon", () => {
    expect(FEATURE_PLAN.behaviour.length).toBeGreaterThanOrEqual(25);
    expect(FEATURE_PLAN.horizonMs).toBe(90 * 86_400_000);
    expect(new Set(FEATURE_PLAN.names).size).toBe(FEATURE_DEFINITIONS.length);
    for (const s of FEATURE_PLAN.series) expect(s.id).not.toContain("|");
  });

  it("shares one series between features that differ only by window", () => {
    const logins = FEATURE_PLAN.behaviour
      .filter((f) => /^logins_\d/.test(f.def.name))
      .map((f) => f.series.id);
    expect(new Set(logins).size).toBe(1);
    expect(FEATURE_PLAN.series.find((s) => s.id === logins[0])?.tiers).toEqual(["d", "h"]);
  });

  it("refuses inconsistent definitions with the feature's name", () => {
    const bad = {
      kind: "behaviour",
      name: "x_sum",
      description: "",
      eventTypes: ["transaction"],
      aggregation: "sum",
      window: "7d",
    } as const;
    expect(() => compileFeaturePlan([bad])).toThrow(new FeatureDefinitionError("x_sum: sum needs a field"));
    const dup = {
      kind: "behaviour",
      name: "d",
      description: "",
      eventTypes: ["login"],
      aggregation: "count",
      window: "7d",
    } as const;
    expect(() => compileFeaturePlan([dup, dup])).toThrow(/defined twice/);
  });
});
