import { describe, expect, it } from "vitest";
import { encodeInputs } from "../../src/scoring/encode-inputs.js";
import { type ModelInput, modelMetadataSchema } from "../../src/scoring/model-metadata.js";
import { encodeSharedBatch, splitInputs } from "../../src/scoring/shared-encoding.js";

const inputs: ModelInput[] = [
  { type: "numeric", name: "age", mean: 40, scale: 10, fill: 40 },
  { type: "categorical", name: "segment", vocabulary: ["a", "b"], fill: "a" },
  { type: "categorical", name: "channel", vocabulary: ["web", "app"] },
];
const meta = { inputs, inputWidth: 1 + 3 + 3 };

/** Metadata around one numeric input computed by `formula`, for the schema's formula checks. */
const FORMULA_BASE = {
  schemaVersion: 1,
  name: "m",
  kind: "logistic",
  version: "0123456789abcdef",
  task: "binary_classification",
  onnx: { inputName: "input", outputName: "probability" },
  inputWidth: 1,
  training: { createdAt: "2026-01-01T00:00:00.000Z", command: "c" },
};
const withFormula = (formula: string) => ({
  ...FORMULA_BASE,
  inputs: [{ type: "numeric", name: "x", formula, mean: 0, scale: 1, fill: 0 }],
});

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

  it("computes derived inputs from their formula, and from a formula-shaped name (older models)", () => {
    const derived: ModelInput[] = [
      {
        type: "numeric",
        name: "drop",
        formula: "clip(sub(log1p(a),log1p(b)),0,2.5)",
        mean: 0,
        scale: 1,
        fill: 9,
      },
      { type: "numeric", name: "log1p(a)", mean: 0, scale: 1, fill: 0 },
      {
        type: "numeric",
        name: "unit_views",
        formula: "add(mul(eq(unit,'cards'),log1p(cv)),mul(eq(unit,'loans'),log1p(lv)))",
        mean: 0,
        scale: 1,
        fill: -1,
      },
      { type: "categorical", name: "pair", formula: "cross(unit,channel)", vocabulary: ["cards|web"] },
    ];
    const m = { inputs: derived, inputWidth: 5 };
    const batch = encodeInputs(m, [
      { a: 3, b: 0, unit: "cards", cv: 1, lv: 5, channel: "web" },
      (name: string) => ({ a: 0, b: 20, unit: "loans", cv: 1, lv: 4, channel: "app" })[name],
      { a: 1, b: 1, unit: "cards", cv: 0, drop: 0.25, channel: null },
      { b: 1 },
    ]);
    const close = (v: number) => Math.fround(v);
    expect(Array.from(batch.data)).toEqual(
      [
        ...[Math.log(4), Math.log(4), Math.log(2), 1, 0],
        ...[0, 0, Math.log(5), 0, 1], // drop clipped at 0; unseen pair
        ...[0, Math.log(2), -1, 0, 1], // the formula, not the row's "drop"; lv missing -> NaN -> fill; missing category
        ...[9, 0, -1, 0, 1], // missing a -> NaN -> fill; unit missing -> fill
      ].map(close),
    );
    expect(Object.fromEntries(batch.missingCounts)).toEqual({
      drop: 1,
      "log1p(a)": 1,
      unit_views: 2,
      pair: 2,
    });
  });

  it("computes a formula input from its formula even when the row holds a value under its name", () => {
    const m = {
      inputs: [
        { type: "numeric", name: "drop", formula: "log1p(a)", mean: 0, scale: 1, fill: 0 },
        { type: "categorical", name: "pair", formula: "cross(u,v)", vocabulary: ["x|y"] },
        { type: "numeric", name: "a", mean: 0, scale: 1, fill: 0 },
      ] satisfies ModelInput[],
      inputWidth: 4,
    };
    const clean = { a: 3, u: "x", v: "y" };
    const forged = { ...clean, drop: 40, pair: "z|z" };
    const expected = Array.from(encodeInputs(m, [clean]).data);
    expect(expected).toEqual([Math.log(4), 1, 0, 3].map(Math.fround));
    expect(Array.from(encodeInputs(m, [forged]).data)).toEqual(expected);
    // The batch path serving takes for one customer's candidates, shared row and per-row values alike.
    for (const varying of [new Set(["u"]), new Set(["drop", "pair"])]) {
      const batch = encodeSharedBatch(splitInputs(m, varying), forged, [forged, forged]);
      expect(Array.from(batch.data)).toEqual([...expected, ...expected]);
    }
  });

  it("reads every decimal number syntax as a number in a formula", () => {
    const input = (formula: string): ModelInput[] => [
      { type: "numeric", name: "y", formula, mean: 0, scale: 1, fill: -99 },
    ];
    const value = (formula: string) =>
      encodeInputs({ inputs: input(formula), inputWidth: 1 }, [{ x: 8 }]).data[0];
    expect(value("mul(x,.5)")).toBe(4);
    expect(value("mul(x,1e-3)")).toBe(Math.fround(0.008));
    expect(value("min(x,+3)")).toBe(3);
    expect(value("add(x,-2.)")).toBe(6);
    expect(value("mul(x,2.5E1)")).toBe(200);
  });

  it("refuses a malformed or infinite number in a formula, naming the formula; any other word is a column", () => {
    // Columns as CSV headers name them: dots, spaces, hyphens, accents, a leading digit.
    for (const formula of [
      "min(cons.price.idx,_b2)",
      "log1p(Total Charges)",
      "mul(p-days,2nd_income)",
      "log1p(âge)",
    ])
      expect(modelMetadataSchema.safeParse(withFormula(formula)).success, formula).toBe(true);
    for (const [formula, word] of [
      ["mul(x,1.2.3)", "1.2.3"],
      ["mul(x,1e999)", "1e999"],
      ["mul(x,2e)", "2e"],
    ]) {
      const parsed = modelMetadataSchema.safeParse(withFormula(formula!));
      expect(parsed.success, formula).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(["inputs", 0, "formula"]);
      expect(parsed.error?.issues[0]?.message).toContain(
        `"${formula}": "${word}" is not a number (e.g. 3, -0.5, .5, 1e-3; finite), and looks too much like one`,
      );
    }
  });

  it("validates formulas in metadata: malformed, or numeric vs categorical mismatch, is refused", () => {
    expect(modelMetadataSchema.safeParse(withFormula("log1p(min(a,3))")).success).toBe(true);
    const bad = modelMetadataSchema.safeParse(withFormula("sqrt(a)"));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/unknown function sqrt/);
    const kind = modelMetadataSchema.safeParse(withFormula("cross(a,b)"));
    expect(kind.error?.issues[0]?.message).toMatch(/gives categorical values but the input is numeric/);
  });
});
