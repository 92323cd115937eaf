/**
 * Encoding a batch whose rows share most of their values: one customer scored for 20 candidate
 * actions. The inputs that cannot differ between the rows (they read no varying column, e.g. none of
 * the action's own attributes) are encoded once, from the shared row, and copied; only the others are
 * encoded per row. Both halves go through `encodeInputs`, so the values are exactly what encoding every
 * row in full gives (tested); a decision's encoding cost drops from rows x inputs lookups to about
 * inputs + rows x varying inputs.
 */
import {
  type EncodedBatch,
  encodeInputs,
  formulaColumns,
  inputFormula,
  type RawRow,
} from "./encode-inputs.js";
import type { ModelInput, ModelMetadata } from "./model-metadata.js";

type Inputs = Pick<ModelMetadata, "inputs" | "inputWidth">;

interface Part {
  readonly meta: Inputs;
  /** For each column of this part, its column in the model's full row. */
  readonly columns: Int32Array;
}

/** A model's inputs split by whether they read any of the varying columns. */
export interface SplitInputs {
  readonly width: number;
  readonly shared: Part;
  readonly varying: Part;
}

const widthOf = (input: ModelInput): number => (input.type === "numeric" ? 1 : input.vocabulary.length + 1);

/** Whether an input reads a varying column: by its name, or through its formula. */
function readsVarying(input: ModelInput, varying: ReadonlySet<string>): boolean {
  if (varying.has(input.name)) return true;
  const formula = inputFormula(input);
  return formula !== undefined && formulaColumns(formula).some((c) => varying.has(c));
}

export function splitInputs(meta: Inputs, varying: ReadonlySet<string>): SplitInputs {
  const parts = {
    shared: { inputs: [] as ModelInput[], columns: [] as number[] },
    varying: { inputs: [] as ModelInput[], columns: [] as number[] },
  };
  let column = 0;
  for (const input of meta.inputs) {
    const part = readsVarying(input, varying) ? parts.varying : parts.shared;
    part.inputs.push(input);
    for (let k = 0; k < widthOf(input); k++) part.columns.push(column + k);
    column += widthOf(input);
  }
  const part = (p: { inputs: ModelInput[]; columns: number[] }): Part => ({
    meta: { inputs: p.inputs, inputWidth: p.columns.length },
    columns: Int32Array.from(p.columns),
  });
  return { width: meta.inputWidth, shared: part(parts.shared), varying: part(parts.varying) };
}

/**
 * The encoded batch of `rows`, each a full raw row (varying values and the shared ones), with the
 * shared inputs encoded once from `shared`. Every row must agree with `shared` on the non-varying
 * columns; that is the caller's promise.
 */
export function encodeSharedBatch(split: SplitInputs, shared: RawRow, rows: readonly RawRow[]): EncodedBatch {
  const n = rows.length;
  const width = split.width;
  const data = new Float32Array(n * width);
  const missingCounts = new Map<string, number>();
  if (split.shared.meta.inputs.length > 0 && n > 0) {
    const once = encodeInputs(split.shared.meta, [shared]);
    const columns = split.shared.columns;
    for (let r = 0; r < n; r++) {
      const base = r * width;
      for (let k = 0; k < columns.length; k++) data[base + columns[k]!] = once.data[k]!;
    }
    for (const [name, count] of once.missingCounts) missingCounts.set(name, count * n);
  }
  if (split.varying.meta.inputs.length > 0) {
    const each = encodeInputs(split.varying.meta, rows);
    const columns = split.varying.columns;
    const w = columns.length;
    for (let r = 0; r < n; r++) {
      const base = r * width;
      for (let k = 0; k < w; k++) data[base + columns[k]!] = each.data[r * w + k]!;
    }
    for (const [name, count] of each.missingCounts)
      missingCounts.set(name, (missingCounts.get(name) ?? 0) + count);
  }
  return { data, rows: n, missing: new Set(missingCounts.keys()), missingCounts };
}
