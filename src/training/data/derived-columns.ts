/**
 * Derived inputs whose recipe is a formula: `log1p(TotalCharges)`, `eq(pdays,999)`,
 * `bin(tenure,6,12,24,48)`, `cross(Contract,InternetService)`. The formula travels with the model
 * (an input's `formula` in metadata.json, or its name for older models) and the shared encoder
 * (`src/scoring/encode-inputs.ts`, which holds the parser and every function) computes it, so
 * training and serving run the same code. This module is the training side: formula columns for
 * tables, and the row helpers kept for callers that want a value by name.
 *
 * Functions (arguments are column names, numbers, 'quoted strings' or nested calls):
 *   log1p(x)          ln(1 + x), missing when x is missing or <= -1
 *   eq(x, v)          1 when x equals v (as number or string), else 0; missing when x is missing
 *   unless(x, v)      x, but missing when x equals v (a sentinel such as pdays = 999)
 *   add(x, y) sub(x, y) mul(x, y) div(x, y) min(x, c) max(x, c)   arithmetic; div by 0 is missing
 *   clip(x, lo, hi)   min(max(x, lo), hi)
 *   bin(x, e1, e2..)  categorical: "<e1", "e1-e2", ..., ">=en" (edges ascending)
 *   cross(a, b)       categorical: "a|b" (an interaction of two categories)
 */
import {
  compileFormula,
  FormulaError,
  formulaType,
  isFormulaName,
  type RawRow,
  type RawValue,
} from "../../scoring/encode-inputs.js";
import type { Table } from "../table.js";

/** Thrown for a malformed expression name; the message quotes it. */
export const DerivedColumnError = FormulaError;
export type DerivedColumnError = FormulaError;

/** Whether an input name is a formula rather than a raw column. */
export const isDerivedName = isFormulaName;

/** "categorical" for bin/cross, "numeric" otherwise; throws DerivedColumnError if malformed. */
export const derivedType = formulaType;

/**
 * The value of one input for a raw row: the row's own value when it has one (training tables hold
 * formula columns ready-made, by this same function), else the formula its name spells.
 */
export function derivedValue(name: string, row: RawRow): RawValue {
  const lookup = typeof row === "function" ? row : (k: string) => row[k];
  const own = lookup(name);
  return own !== undefined || !isDerivedName(name) ? own : compileFormula(name)(lookup);
}

/** Wraps a raw row so that formula names resolve; give the result to `encodeInputs`. */
export function derivedRow(row: RawRow): (name: string) => RawValue {
  return (name) => derivedValue(name, row);
}

/** A derived column: a formula that is its own name, or a short name with its formula. */
export type DerivedSpec = string | { readonly name: string; readonly formula: string };

export const specName = (d: DerivedSpec): string => (typeof d === "string" ? d : d.name);
export const specFormula = (d: DerivedSpec): string => (typeof d === "string" ? d : d.formula);

/** name -> formula for every spec, what `fitInputs` writes into each input's `formula`. */
export function formulaMap(specs: readonly DerivedSpec[]): Record<string, string> {
  return Object.fromEntries(specs.map((d) => [specName(d), specFormula(d)]));
}

/**
 * `inputs` plus one column per formula, computed row by row with the compiled formula (the code
 * the encoder runs at serving) from `source` (default `inputs`; a wider table lets dropped columns
 * feed a formula).
 */
export function addDerivedColumns(
  inputs: Table,
  formulas: readonly DerivedSpec[],
  source: Table = inputs,
): Table {
  const numeric = new Map(inputs.numeric);
  const categorical = new Map(inputs.categorical);
  const columns = new Map<string, Float64Array | readonly (string | null)[]>([
    ...source.numeric,
    ...source.categorical,
  ]);
  let r = 0;
  const row = (name: string): RawValue => columns.get(name)?.[r];
  for (const spec of formulas) {
    const name = specName(spec);
    const text = specFormula(spec);
    const formula = compileFormula(text);
    if (derivedType(text) === "numeric") {
      const out = new Float64Array(source.length);
      for (r = 0; r < source.length; r++) out[r] = Number(formula(row) ?? Number.NaN);
      numeric.set(name, out);
    } else {
      const out: (string | null)[] = new Array(source.length);
      for (r = 0; r < source.length; r++) {
        const v = formula(row);
        out[r] = v === null || v === undefined ? null : String(v);
      }
      categorical.set(name, out);
    }
  }
  return { length: inputs.length, numeric, categorical };
}
