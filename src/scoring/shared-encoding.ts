/**
 * Encoding a batch whose rows share most of their values: one customer scored for 20 candidate
 * actions. The inputs that cannot differ between the rows (they read no varying column, e.g. none of
 * the action's own attributes) are encoded once, from the shared row, and copied; only the others are
 * encoded per row, and within those, every sub-expression of a formula that reads no varying column
 * is computed once too (`sharedRowEncoder`). Both halves run the same compiled encoding as
 * `encodeInputs`, so the values are exactly what encoding every row in full gives (tested); a
 * decision's encoding cost drops from rows x inputs lookups to about inputs + rows x what varies.
 */
import {
  type EncodedBatch,
  formulaColumns,
  inputFormula,
  type RawRow,
  type SharedRowEncoder,
  sharedRowEncoder,
} from "./encode-inputs.js";
import type { ModelInput, ModelMetadata } from "./model-metadata.js";

type Inputs = Pick<ModelMetadata, "inputs" | "inputWidth">;

interface Part {
  readonly meta: Inputs;
  /** For each input of this part, the column in the model's full row where its columns start. */
  readonly starts: Int32Array;
  /** Encodes this part's inputs straight into full-width rows, computing once what rows share. */
  readonly encoder: SharedRowEncoder;
}

/** A model's inputs split by whether they read any of the varying columns. */
export interface SplitInputs {
  readonly width: number;
  readonly shared: Part;
  readonly varying: Part;
}

const widthOf = (input: ModelInput): number => (input.type === "numeric" ? 1 : input.vocabulary.length + 1);

/** Whether an input reads a varying column: through its formula, or by its name when it has none. */
function readsVarying(input: ModelInput, varying: ReadonlySet<string>): boolean {
  const formula = inputFormula(input);
  return formula === undefined
    ? varying.has(input.name)
    : formulaColumns(formula).some((c) => varying.has(c));
}

export function splitInputs(meta: Inputs, varying: ReadonlySet<string>): SplitInputs {
  const parts = {
    shared: { inputs: [] as ModelInput[], starts: [] as number[], width: 0 },
    varying: { inputs: [] as ModelInput[], starts: [] as number[], width: 0 },
  };
  let column = 0;
  for (const input of meta.inputs) {
    const part = readsVarying(input, varying) ? parts.varying : parts.shared;
    part.inputs.push(input);
    part.starts.push(column);
    part.width += widthOf(input);
    column += widthOf(input);
  }
  const part = (p: { inputs: ModelInput[]; starts: number[]; width: number }): Part => {
    const partMeta = { inputs: p.inputs, inputWidth: p.width };
    return {
      meta: partMeta,
      starts: Int32Array.from(p.starts),
      encoder: sharedRowEncoder(partMeta, varying),
    };
  };
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
    // The shared columns once, in a full-width row copied under every row (its varying columns stay
    // zero, as encodeInto needs for their one-hot blocks).
    const template = new Float32Array(width);
    const once = split.shared.encoder.encodeInto(shared, [shared], template, width, split.shared.starts);
    for (let r = 0; r < n; r++) data.set(template, r * width);
    for (const [name, count] of once) missingCounts.set(name, count * n);
  }
  if (split.varying.meta.inputs.length > 0) {
    const each = split.varying.encoder.encodeInto(shared, rows, data, width, split.varying.starts);
    for (const [name, count] of each) missingCounts.set(name, (missingCounts.get(name) ?? 0) + count);
  }
  return { data, rows: n, missing: new Set(missingCounts.keys()), missingCounts };
}
