/** Formula inputs: parsing, values, and the same value at training (table) and serving (raw row). */
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random/seeded-random.js";
import { encodeInputs } from "../../src/scoring/encode-inputs.js";
import {
  addDerivedColumns,
  DerivedColumnError,
  derivedRow,
  derivedType,
  derivedValue,
  isDerivedName,
} from "../../src/training/data/derived-columns.js";
import { encodeTable } from "../../src/training/prep/encode-table.js";
import { fitInputs } from "../../src/training/prep/fit-inputs.js";
import type { Table } from "../../src/training/table.js";

describe("derived columns", () => {
  it("computes each function", () => {
    const row = { x: 3, pdays: 999, c: "Two year", d: "DSL", blank: "" };
    expect(derivedValue("log1p(x)", row)).toBeCloseTo(Math.log(4), 12);
    expect(derivedValue("eq(pdays,999)", row)).toBe(1);
    expect(derivedValue("eq(c,'Two year')", row)).toBe(1);
    expect(derivedValue("unless(pdays,999)", row)).toBeNaN();
    expect(derivedValue("unless(x,999)", row)).toBe(3);
    expect(derivedValue("div(x,max(pdays,1))", row)).toBeCloseTo(3 / 999, 12);
    expect(derivedValue("div(x,0)", row)).toBeNaN();
    expect(derivedValue("bin(x,2,4,8)", row)).toBe("2-4");
    expect(derivedValue("bin(x,5,8)", row)).toBe("<5");
    expect(derivedValue("bin(pdays,5,8)", row)).toBe(">=8");
    expect(derivedValue("cross(c,d)", row)).toBe("Two year|DSL");
    expect(derivedValue("cross(c,blank)", row)).toBeNull();
    expect(derivedValue("x", row)).toBe(3);
  });

  it("tells formulas from plain names and numeric from categorical", () => {
    expect(isDerivedName("log1p(TotalCharges)")).toBe(true);
    expect(isDerivedName("emp.var.rate")).toBe(false);
    expect(derivedType("bin(tenure,6,12)")).toBe("categorical");
    expect(derivedType("mul(a,b)")).toBe("numeric");
  });

  it("reports a malformed formula with its text", () => {
    expect(() => derivedType("sqrt(x)")).toThrow(DerivedColumnError);
    expect(() => derivedType("log1p(x")).toThrow(/"log1p\(x": expected , or \)/);
    expect(() => derivedType("log1p(x,y)")).toThrow(/takes 1..1 arguments/);
  });

  it("encodes a serving row (raw columns only) exactly like the training table", () => {
    const base: Table = {
      length: 3,
      numeric: new Map([
        ["tenure", Float64Array.from([0, 13, 70])],
        ["charges", Float64Array.from([0, 1200.5, 8000])],
      ]),
      categorical: new Map([["contract", ["Month", "Year", null]]]),
    };
    const formulas = ["log1p(charges)", "bin(tenure,6,12,24)", "cross(contract,bin(tenure,12))"];
    const table = addDerivedColumns(base, formulas);
    const inputs = fitInputs(table, [0, 1, 2]);
    const train = encodeTable(inputs, table, [0, 1, 2]);
    const raw = [
      { tenure: 0, charges: 0, contract: "Month" },
      { tenure: 13, charges: 1200.5, contract: "Year" },
      { tenure: 70, charges: 8000 },
    ];
    const serve = encodeInputs({ inputs, inputWidth: train.width }, raw.map(derivedRow));
    expect(Array.from(serve.data)).toEqual(Array.from(train.data));
  });

  it("cold start: a masked column's crossings are recomputed from the masked value, as for a new action", () => {
    const base: Table = {
      length: 2,
      numeric: new Map(),
      categorical: new Map([
        ["actionId", ["a", "b"]],
        ["channel", ["web", "app"]],
      ]),
    };
    const table = addDerivedColumns(base, [{ name: "pair", formula: "cross(actionId,channel)" }]);
    const inputs = fitInputs(table, [0, 1], { formulas: { pair: "cross(actionId,channel)" } });
    expect(inputs.find((i) => i.name === "pair")).toMatchObject({ formula: "cross(actionId,channel)" });
    const cold = encodeTable(inputs, table, [0, 1], {
      rates: { actionId: 1 },
      random: createRandom(1),
    });
    // actionId (a, b, unseen), channel (app, web, unseen), pair (a|web, b|app, unseen): all unseen but channel.
    expect(Array.from(cold.data)).toEqual([...[0, 0, 1, 0, 1, 0, 0, 0, 1], ...[0, 0, 1, 1, 0, 0, 0, 0, 1]]);
  });
});
