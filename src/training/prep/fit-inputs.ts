/**
 * Fits the preprocessing the model carries into serving: for each numeric column its fill value
 * (explicit, else the training mean), mean and scale (standard deviation after filling); for each
 * categorical column its vocabulary (training values by frequency; anything else lands in the
 * unseen column). Statistics come from the training rows only, never the test rows; means and
 * standard deviations are computed with danfojs-node Series.
 */
import * as dfd from "danfojs-node";
import type { ModelInput } from "../../scoring/model-metadata.js";
import type { Table } from "../table.js";

export interface FitInputsOptions {
  /** Explicit fills (raw units) by column. */
  readonly fills?: Readonly<Record<string, number | string>>;
  /** Values seen fewer times than this go to the unseen column (default 1: keep all). */
  readonly minCategoryCount?: number;
  /** Only these columns become inputs (default: every column). */
  readonly columns?: readonly string[];
  /** Derived columns (name -> formula): their inputs carry the formula, so serving computes them. */
  readonly formulas?: Readonly<Record<string, string>>;
}

function numericInput(
  name: string,
  values: Float64Array,
  rows: ArrayLike<number>,
  fill?: number,
): ModelInput {
  const present: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]!]!;
    if (Number.isFinite(v)) present.push(v);
  }
  if (present.length === 0) return { type: "numeric", name, mean: fill ?? 0, scale: 1, fill: fill ?? 0 };
  const fillValue = fill ?? (new dfd.Series(present).mean() as number);
  const filled = present.concat(new Array(rows.length - present.length).fill(fillValue));
  const series = new dfd.Series(filled);
  const mean = series.mean() as number;
  // A constant column keeps scale 1: it encodes to 0 everywhere, harmless, and the schema needs > 0.
  const std = filled.length > 1 ? (series.std() as number) : 0;
  return { type: "numeric", name, mean, scale: std > 1e-12 ? std : 1, fill: fillValue };
}

function categoricalInput(
  name: string,
  values: readonly (string | null)[],
  rows: ArrayLike<number>,
  minCount: number,
  fill?: string,
): ModelInput {
  // Counted here, not with danfo's valueCounts: it turns any value starting with digits into
  // parseInt(value) ("12-24" -> 12), which merges and renames categories.
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]!];
    if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const pairs = [...counts];
  // Most frequent first, then by name, so the column order is stable across runs.
  pairs.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const vocabulary = pairs.filter(([, n]) => n >= minCount).map(([v]) => v);
  // The schema needs one value at least; a column never seen keeps a placeholder and encodes as unseen.
  if (vocabulary.length === 0) vocabulary.push("(none)");
  return { type: "categorical", name, vocabulary, ...(fill !== undefined ? { fill } : {}) };
}

/** One input per column: numeric columns first, then categorical, each in table order. */
export function fitInputs(
  table: Table,
  rows: ArrayLike<number>,
  options: FitInputsOptions = {},
): ModelInput[] {
  const fills = options.fills ?? {};
  const inputs: ModelInput[] = [];
  const use = options.columns ? new Set(options.columns) : undefined;
  for (const [name, values] of table.numeric) {
    if (use && !use.has(name)) continue;
    const f = fills[name];
    if (f !== undefined && typeof f !== "number")
      throw new TypeError(`fill for numeric column ${name} must be a number, got "${f}"`);
    inputs.push(numericInput(name, values, rows, f));
  }
  for (const [name, values] of table.categorical) {
    if (use && !use.has(name)) continue;
    const f = fills[name];
    inputs.push(
      categoricalInput(
        name,
        values,
        rows,
        options.minCategoryCount ?? 1,
        f === undefined ? undefined : String(f),
      ),
    );
  }
  const formulas = options.formulas ?? {};
  return inputs.map((input) => {
    const formula = formulas[input.name];
    return formula === undefined ? input : { ...input, formula };
  });
}

/** Encoded width of a list of inputs (numeric 1, categorical vocabulary + unseen). */
export function inputWidth(inputs: readonly ModelInput[]): number {
  return inputs.reduce((w, i) => w + (i.type === "numeric" ? 1 : i.vocabulary.length + 1), 0);
}

/**
 * A name per encoded column, in encoder order: a numeric input's name, then per categorical input
 * `name=value` for each vocabulary value and `name=(unseen)` for its trailing unseen column.
 */
export function encodedColumnNames(inputs: readonly ModelInput[]): string[] {
  return inputs.flatMap((i) =>
    i.type === "numeric" ? [i.name] : [...i.vocabulary.map((v) => `${i.name}=${v}`), `${i.name}=(unseen)`],
  );
}
