/**
 * Encodes table rows into the model's float matrix with the shared `encodeInputs`, the same
 * function serving calls, so a training row and a live request with equal raw values encode to
 * equal floats. Formula inputs (`log1p(x)`...) are computed by the encoder from the row's raw
 * columns, as at serving (their table columns, computed by the same compiled formulas, serve
 * fitting and reports); so the table must hold every column a formula reads.
 */
import type { Random } from "../../random/seeded-random.js";
import { type EncodedBatch, encodeInputs, type RawValue } from "../../scoring/encode-inputs.js";
import type { ModelInput } from "../../scoring/model-metadata.js";
import { rowView, type Table } from "../table.js";
import { inputWidth } from "./fit-inputs.js";

export interface Matrix {
  /** rows x width, row-major. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly width: number;
}

/** A value no vocabulary holds, so the encoder puts it in the unseen column. */
export const UNSEEN = "\u0000unseen";

/**
 * Encodes `indices` of `table`. `coldStart` (training only) replaces a categorical column's value by
 * an unseen one at the given rate, drawn from `random`: the unseen column then learns what a new
 * value (a new action) should score, instead of keeping its random initial weight. Derived inputs
 * that read a masked column (`cross(actionId,channel)`) see the masked value, as serving computes
 * them for a new action.
 */
export function encodeTable(
  inputs: readonly ModelInput[],
  table: Table,
  indices: ArrayLike<number>,
  coldStart?: { readonly rates: Readonly<Record<string, number>>; readonly random: Random },
): Matrix {
  const meta = { inputs: [...inputs], inputWidth: inputWidth(inputs) };
  const masked = coldStart ? Object.entries(coldStart.rates) : [];
  const rows = Array.from({ length: indices.length }, (_, i) => {
    const base = rowView(table, indices[i]!);
    const hide = masked.filter(([, rate]) => coldStart!.random.next() < rate).map(([name]) => name);
    if (hide.length === 0) return base;
    return (name: string): RawValue => (hide.includes(name) ? UNSEEN : base(name));
  });
  const batch: EncodedBatch = encodeInputs(meta, rows);
  return { data: batch.data, rows: batch.rows, width: meta.inputWidth };
}
