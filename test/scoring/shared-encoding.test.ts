import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACTION_INPUTS, actionRow, customerRow } from "../../src/decisioning/model-rows.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { loadPolicyFile } from "../../src/policy/load-policy.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { encodeInputs, type RawRow } from "../../src/scoring/encode-inputs.js";
import { loadModelVersion } from "../../src/scoring/load-model.js";
import type { ModelMetadata } from "../../src/scoring/model-metadata.js";
import { encodeSharedBatch, splitInputs } from "../../src/scoring/shared-encoding.js";

const meta: Pick<ModelMetadata, "inputs" | "inputWidth"> = {
  inputs: [
    { type: "numeric", name: "age", mean: 40, scale: 10, fill: 40 },
    { type: "categorical", name: "actionId", vocabulary: ["card", "loan"], fill: undefined },
    { type: "numeric", name: "views", mean: 1, scale: 2, fill: 0 },
    {
      type: "numeric",
      name: "card_x_views",
      formula: "mul(views, eq(actionId, 'card'))",
      mean: 0,
      scale: 1,
      fill: 0,
    },
    { type: "categorical", name: "channel", vocabulary: ["app", "web"], fill: "web" },
    { type: "numeric", name: "actionValue", mean: 100, scale: 50, fill: 100 },
  ],
  inputWidth: 1 + 3 + 1 + 1 + 3 + 1,
} as Pick<ModelMetadata, "inputs" | "inputWidth">;

describe("encoding rows that share a customer", () => {
  it("gives exactly what encoding every row in full gives, formulas and missing values included", () => {
    const customer = { age: 33, views: 4, channel: "app" };
    const actions = [
      { actionId: "card", actionValue: 120 },
      { actionId: "loan", actionValue: 400 },
      { actionId: "mortgage", actionValue: undefined },
    ];
    const rows: RawRow[] = actions.map((a) => ({ ...customer, ...a }));
    const split = splitInputs(meta, new Set(["actionId", "actionValue"]));
    expect(split.varying.meta.inputs.map((i) => i.name)).toEqual(["actionId", "card_x_views", "actionValue"]);
    const shared = encodeSharedBatch(split, customer, rows);
    const full = encodeInputs(meta, rows);
    expect(Array.from(shared.data)).toEqual(Array.from(full.data));
    expect(shared.missingCounts).toEqual(full.missingCounts);

    // A missing shared value is missing in every row, and counted so.
    const blank = { views: 4, channel: "app" };
    const blankRows = actions.map((a) => ({ ...blank, ...a }));
    const again = encodeSharedBatch(split, blank, blankRows);
    expect(Array.from(again.data)).toEqual(Array.from(encodeInputs(meta, blankRows).data));
    expect(again.missingCounts.get("age")).toBe(3);
  });

  it("computes the shared parts of a varying formula once, with the same values as row by row", () => {
    const folded: Pick<ModelMetadata, "inputs" | "inputWidth"> = {
      inputs: [
        {
          type: "numeric",
          name: "unit_views",
          formula:
            "add(mul(eq(businessUnit, 'cards'), log1p(views)), mul(eq(businessUnit, 'loans'), div(views, age)))",
          mean: 0,
          scale: 1,
          fill: -1,
        },
        {
          type: "categorical",
          name: "unit_channel",
          formula: "cross(businessUnit, channel)",
          vocabulary: ["cards|app"],
          fill: undefined,
        },
        { type: "numeric", name: "given", formula: "mul(views, actionValue)", mean: 0, scale: 1, fill: 0 },
      ],
      inputWidth: 1 + 2 + 1,
    } as Pick<ModelMetadata, "inputs" | "inputWidth">;
    const varying = new Set(["businessUnit", "actionValue"]);
    const actions = [
      { businessUnit: "cards", actionValue: 2 },
      { businessUnit: "loans", actionValue: 3 },
      { businessUnit: "savings", actionValue: undefined },
    ];
    // `given` is held by the shared row under its own name: every row keeps that value.
    for (const customer of [
      { views: 4, age: 40, channel: "app", given: 7 },
      { views: 4, age: 0, channel: "web" },
      { channel: "app" },
    ]) {
      const rows: RawRow[] = actions.map((a) => ({ ...customer, ...a }));
      const split = splitInputs(folded, varying);
      const once = encodeSharedBatch(split, customer, rows);
      const full = encodeInputs(folded, rows);
      expect(Array.from(once.data)).toEqual(Array.from(full.data));
      expect(once.missingCounts).toEqual(full.missingCounts);
    }
  });

  it("scores the promoted propensity model the same as row by row, for every candidate", async () => {
    const registry = JSON.parse(readFileSync("models/registry.json", "utf8"));
    const model = await loadModelVersion("models", "propensity", registry.models.propensity.promoted);
    const policy = await loadPolicyFile("data/policies/bank-policy.yaml");
    const rng = createRandom(11);
    const features: Record<string, number> = {};
    for (const name of FEATURE_PLAN.names) features[name] = Math.floor(rng.next() * 10);
    const src = { features, profile: {}, context: { channel: "app", journey: "cross_sell", step: "browse" } };
    const actions = [...policy.actionById.values()];
    const rows = actions.map((a) => actionRow(src, a));
    const byRow = await model.predict(rows);
    const shared = await model.predictShared(customerRow(src), rows, ACTION_INPUTS);
    expect(Array.from(shared)).toEqual(Array.from(byRow));
    expect(new Set(Array.from(shared)).size).toBeGreaterThan(1);
    await model.release();
  });
});
