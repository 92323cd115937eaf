/**
 * Turns raw rows (feature name -> value) into the model's float input, in the model's own column
 * order, with the preprocessing saved in its metadata. Pure; training and serving both call it, so
 * a model sees the same encoding in both.
 */
import type { ModelMetadata } from "./model-metadata.js";

export type RawValue = number | string | boolean | null | undefined;
/** A raw row: a lookup by input name (a plain object or a function, for zero-copy views). */
export type RawRow = Readonly<Record<string, RawValue>> | ((name: string) => RawValue);

const valueOf = (row: RawRow, name: string): RawValue => (typeof row === "function" ? row(name) : row[name]);

export interface EncodedBatch {
  /** rows x metadata.inputWidth, row-major. */
  readonly data: Float32Array;
  readonly rows: number;
  /** Input names that were missing (filled with the model's default) in at least one row. */
  readonly missing: ReadonlySet<string>;
}

export function encodeInputs(meta: Pick<ModelMetadata, "inputs" | "inputWidth">, rows: readonly RawRow[]): EncodedBatch {
  const width = meta.inputWidth;
  const data = new Float32Array(rows.length * width);
  const missing = new Set<string>();
  rows.forEach((row, r) => {
    let c = r * width;
    for (const input of meta.inputs) {
      const raw = valueOf(row, input.name);
      if (input.type === "numeric") {
        let x = typeof raw === "number" ? raw : typeof raw === "boolean" ? Number(raw) : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
        if (!Number.isFinite(x)) {
          missing.add(input.name);
          x = input.fill;
        }
        data[c++] = (x - input.mean) / input.scale;
        continue;
      }
      let category = raw === null || raw === undefined || raw === "" ? undefined : String(raw);
      if (category === undefined) {
        missing.add(input.name);
        category = input.fill;
      }
      const index = category === undefined ? -1 : input.vocabulary.indexOf(category);
      data[c + (index < 0 ? input.vocabulary.length : index)] = 1;
      c += input.vocabulary.length + 1;
    }
  });
  return { data, rows: rows.length, missing };
}
