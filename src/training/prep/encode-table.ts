/**
 * Encodes table rows into the model's float matrix with the shared `encodeInputs`, the same
 * function serving calls, so a training row and a live request with equal raw values encode to
 * equal floats. Formula inputs (`log1p(x)`...) are table columns computed by the encoder's own
 * compiled formulas; the encoder computes them itself for a row that lacks them, as at serving.
 */
import type { Random } from "../../random/seeded-random.js";
import {
  type EncodedBatch,
  encodeInputs,
  formulaColumns,
  inputFormula,
  type RawValue,
} from "../../scoring/encode-inputs.js";
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
 * that read a masked column (`cross(actionId,channel)`) are recomputed from the masked row, as
 * serving would compute them for a new action, instead of taken from the table.
 */
export function encodeTable(
  inputs: readonly ModelInput[],
  table: Table,
  indices: ArrayLike<number>,
  coldStart?: { readonly rates: Readonly<Record<string, number>>; readonly random: Random },
): Matrix {
  const meta = { inputs: [...inputs], inputWidth: inputWidth(inputs) };
  const masked = coldStart ? Object.entries(coldStart.rates) : [];
  // For each maskable column, the derived inputs that read it.
  const readers = new Map(
    masked.map(([column]) => [
      column,
      inputs.flatMap((input) => {
        const formula = inputFormula(input);
        return formula !== undefined && formulaColumns(formula).includes(column) ? [input.name] : [];
      }),
    ]),
  );
  const rows = Array.from({ length: indices.length }, (_, i) => {
    const base = rowView(table, indices[i]!);
    const hide = masked.filter(([, rate]) => coldStart!.random.next() < rate).map(([name]) => name);
    if (hide.length === 0) return base;
    const recompute = new Set(hide.flatMap((c) => readers.get(c) ?? []));
    return (name: string): RawValue =>
      hide.includes(name) ? UNSEEN : recompute.has(name) ? undefined : base(name);
  });
  const batch: EncodedBatch = encodeInputs(meta, rows);
  return { data: batch.data, rows: batch.rows, width: meta.inputWidth };
}
