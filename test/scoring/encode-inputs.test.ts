import { describe, expect, it } from "vitest";
import { encodeInputs } from "../../src/scoring/encode-inputs.js";
import type { ModelInput } from "../../src/scoring/model-metadata.js";

const inputs: ModelInput[] = [
  { type: "numeric", name: "age", mean: 40, scale: 10, fill: 40 },
  { type: "categorical", name: "segment", vocabulary: ["a", "b"], fill: "a" },
  { type: "categorical", name: "channel", vocabulary: ["web", "app"] },
];
const meta = { inputs, inputWidth: 1 + 3 + 3 };

describe("encodeInputs", () => {
  it("scales numerics and one-hot encodes categories in the model's column order", () => {
    const { data, rows, missing, missingCounts } = encodeInputs(meta, [
      { age: 50, segment: "b", channel: "app" },
    ]);
    expect(rows).toBe(1);
    expect([...data]).toEqual([1, 0, 1, 0, 0, 1, 0]);
    expect(missing.size).toBe(0);
    expect(missingCounts.size).toBe(0);
  });

  it("fills missing values with the model's defaults, counting the rows each input was missing in", () => {
    const rows = [
      { age: null, segment: "", channel: "fax" },
      { age: "  ", segment: "b" },
      (name: string) => (name === "age" ? "45" : name === "segment" ? undefined : true),
    ];
    const batch = encodeInputs(meta, rows);
    expect([...batch.data]).toEqual([
      ...[0, 1, 0, 0, 0, 0, 1], // age -> fill 40, segment -> fill "a", unseen channel
      ...[0, 0, 1, 0, 0, 0, 1], // channel missing without fill -> unseen column
      ...[0.5, 1, 0, 0, 0, 0, 1], // "45" parses, segment -> fill, true -> "true" is unseen
    ]);
    expect([...batch.missing].sort()).toEqual(["age", "channel", "segment"]);
    expect(Object.fromEntries(batch.missingCounts)).toEqual({ age: 2, segment: 2, channel: 1 });
  });

  it("treats non-finite numbers as missing and booleans as 0/1", () => {
    const numeric = { inputs: [inputs[0]!], inputWidth: 1 };
    const batch = encodeInputs(numeric, [
      { age: Number.NaN },
      { age: Number.POSITIVE_INFINITY },
      { age: true },
    ]);
    expect([...batch.data]).toEqual([0, 0, (1 - 40) / 10].map(Math.fround));
    expect(batch.missingCounts.get("age")).toBe(2);
  });

  it("encodes an empty batch", () => {
    const batch = encodeInputs(meta, []);
    expect(batch.rows).toBe(0);
    expect(batch.data.length).toBe(0);
  });
});
