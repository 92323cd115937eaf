/**
 * Columnar training data. Columns are typed arrays (numbers, NaN = missing) or string arrays
 * (null = missing) rather than row objects: a 400k-row propensity set with 50 columns as objects
 * would cost gigabytes, as columns it costs a few hundred megabytes.
 */
import type { RawValue } from "../scoring/encode-inputs.js";

export interface Table {
  readonly length: number;
  /** Numeric columns; NaN marks a missing value. */
  readonly numeric: ReadonlyMap<string, Float64Array>;
  /** Categorical columns; null marks a missing value. */
  readonly categorical: ReadonlyMap<string, readonly (string | null)[]>;
}

/** Where a training set came from, for the metadata's `training` block and the report. */
export interface SourceInfo {
  /** Human-readable: `csv:../shared/data/telco-churn.csv`, `generated:dir`, `generated:sample`. */
  readonly source: string;
  /** sha256 (hex) of the input file(s), or of the generated-sample spec. */
  readonly dataHash: string;
  readonly target: string;
  readonly positiveValue: string | number | boolean;
}

/** A labelled table: one row per example, features in `table`, outcome in `labels`. */
export interface TrainingSet {
  readonly table: Table;
  /** 1 = positive class. */
  readonly labels: Uint8Array;
  /** Epoch ms of each row's decision time, for time splits; absent for cross-sectional data. */
  readonly times?: Float64Array;
  /**
   * When each row's label is settled (epoch ms), for rows that are snapshots of one population
   * labelled over a window (churn: `times[r]` + 30 days). With it, a time split tests on the
   * latest snapshot and trains on rows settled by then (split.ts `snapshotSplit`).
   */
  readonly labelEnds?: Float64Array;
  /** The generator's true P(positive) per row; absent for real data. */
  readonly truth?: Float64Array;
  /** Explicit fill values per column (raw units), e.g. TotalCharges -> 0; others are fitted. */
  readonly fills?: Readonly<Record<string, number | string>>;
  /** Columns the model reads, in table order (default: every column); others only feed comparisons. */
  readonly inputs?: readonly string[];
  /** Derived columns: name -> formula (encode-inputs.ts), written into each input's metadata. */
  readonly formulas?: Readonly<Record<string, string>>;
  /** Categorical columns to randomly mask as unseen during training (cold-start), with the rate. */
  readonly coldStart?: Readonly<Record<string, number>>;
  readonly info: SourceInfo;
}

/** All column names, numeric first then categorical, in insertion order. */
export function columnNames(table: Table): string[] {
  return [...table.numeric.keys(), ...table.categorical.keys()];
}

/** A zero-copy view of row `r` in the shape `encodeInputs` reads (a lookup by input name). */
export function rowView(table: Table, r: number): (name: string) => RawValue {
  return (name) => {
    const n = table.numeric.get(name);
    if (n) return n[r];
    return table.categorical.get(name)?.[r];
  };
}

/** The rows at `indices` (in that order), as a new table. */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  const numeric = new Map<string, Float64Array>();
  for (const [name, col] of table.numeric) {
    const out = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = col[indices[i]!]!;
    numeric.set(name, out);
  }
  const categorical = new Map<string, (string | null)[]>();
  for (const [name, col] of table.categorical) {
    categorical.set(
      name,
      Array.from({ length: indices.length }, (_, i) => col[indices[i]!] ?? null),
    );
  }
  return { length: indices.length, numeric, categorical };
}

/** Picks the same rows out of any per-row typed array. */
export function takeValues<T extends Float64Array | Uint8Array>(values: T, indices: ArrayLike<number>): T {
  const out = new (values.constructor as new (n: number) => T)(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return out;
}
