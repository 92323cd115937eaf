/**
 * Turns raw rows (feature name -> value) into the model's float input, in the model's own column
 * order, with the preprocessing saved in its metadata. Pure; training and serving both call it, so
 * a model sees the same encoding in both.
 */
import type { ModelMetadata } from "./model-metadata.js";

export type RawValue = number | string | boolean | null | undefined;
/** A raw row: a lookup by input name (a plain object or a function, for zero-copy views). */
export type RawRow = Readonly<Record<string, RawValue>> | ((name: string) => RawValue);

const lookup = (row: RawRow, name: string): RawValue => (typeof row === "function" ? row(name) : row[name]);

export interface EncodedBatch {
  /** rows x metadata.inputWidth, row-major. */
  readonly data: Float32Array;
  readonly rows: number;
  /** Input names that were missing (filled with the model's default) in at least one row. */
  readonly missing: ReadonlySet<string>;
  /** For each input in `missing`, the number of rows in which it was missing. */
  readonly missingCounts: ReadonlyMap<string, number>;
}

/** A numeric value, or NaN when missing: blank strings, null, undefined and non-numbers are missing. */
function numericValue(raw: RawValue): number {
  if (typeof raw === "number") return raw;
  if (typeof raw === "boolean") return Number(raw);
  if (typeof raw === "string" && raw.trim() !== "") return Number(raw);
  return Number.NaN;
}

export function encodeInputs(
  meta: Pick<ModelMetadata, "inputs" | "inputWidth">,
  rows: readonly RawRow[],
): EncodedBatch {
  const width = meta.inputWidth;
  const inputs = meta.inputs;
  const data = new Float32Array(rows.length * width);
  const missingCounts = new Map<string, number>();
  const markMissing = (name: string) => missingCounts.set(name, (missingCounts.get(name) ?? 0) + 1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    let c = r * width;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const raw = lookup(row, input.name);
      if (input.type === "numeric") {
        let x = numericValue(raw);
        if (!Number.isFinite(x)) {
          markMissing(input.name);
          x = input.fill;
        }
        data[c++] = (x - input.mean) / input.scale;
        continue;
      }
      let category = raw === null || raw === undefined || raw === "" ? undefined : String(raw);
      if (category === undefined) {
        markMissing(input.name);
        category = input.fill;
      }
      const index = category === undefined ? -1 : input.vocabulary.indexOf(category);
      data[c + (index < 0 ? input.vocabulary.length : index)] = 1;
      c += input.vocabulary.length + 1;
    }
  }
  return { data, rows: rows.length, missing: new Set(missingCounts.keys()), missingCounts };
}
