/**
 * Per-value interactions for a network: for each known value a of a categorical input `by` (e.g.
 * actionId) and each copied column x, the extra column onehot_a · x, appended after the model's
 * own columns. A logistic model on the result is one GLM per action sharing the common terms: what
 * the generator's acceptance model is (docs/models.md, "Propensity"), and a strong partner for the
 * trees in a blend. The columns are built from the encoded row itself (the ONNX graph does the same
 * with Gather/Mul/Concat: onnx/export-onnx.ts), so the model's inputs, metadata and serving-side
 * encoding stay exactly those of the plain model.
 *
 * Copied: every encoded column (numeric inputs and one-hot columns of other categoricals, unseen
 * buckets excluded) that varies within at least one value of `by` in the training rows. A column
 * constant within every value (an action's catalogue value, its business unit) would only repeat
 * that value's own one-hot. A row whose `by` is the unseen bucket (a new action, or a cold-start
 * masked training row) gets zeros: it is scored by the shared terms alone.
 */
import type { ModelInput } from "../../scoring/model-metadata.js";
import type { Matrix } from "./encode-table.js";

export interface InteractionPlan {
  /** The categorical input the copies are made per value of. */
  readonly by: string;
  /** First column of `by`'s one-hot block, and its known values (the unseen bucket excluded). */
  readonly byStart: number;
  readonly byValues: number;
  /** Columns copied per value of `by`, ascending. */
  readonly copied: readonly number[];
  /** Columns of the plain rows; the expanded rows have width + byValues · copied.length. */
  readonly width: number;
}

/** Columns a network with this plan reads. */
export const expandedWidth = (plan: InteractionPlan): number =>
  plan.width + plan.byValues * plan.copied.length;

/** The value index of `by` in row r (-1 for the unseen bucket). */
function byValueIndex(x: Matrix, plan: Pick<InteractionPlan, "byStart" | "byValues">, r: number): number {
  const at = r * x.width + plan.byStart;
  for (let k = 0; k < plan.byValues; k++) if (x.data[at + k] === 1) return k;
  return -1;
}

/** The plan for `inputs`, copying the columns that vary within a value of `by` in `train`. */
export function planInteractions(inputs: readonly ModelInput[], by: string, train: Matrix): InteractionPlan {
  let column = 0;
  let byStart = -1;
  let byValues = 0;
  const candidates: number[] = [];
  for (const input of inputs) {
    if (input.type === "numeric") {
      candidates.push(column);
      column += 1;
      continue;
    }
    const n = input.vocabulary.length;
    if (input.name === by) {
      byStart = column;
      byValues = n;
    } else for (let k = 0; k < n; k++) candidates.push(column + k);
    column += n + 1;
  }
  if (byStart < 0) {
    const categorical = inputs.filter((i) => i.type === "categorical").map((i) => i.name);
    throw new RangeError(
      `--interactions ${by}: no categorical input of that name (categorical inputs: ${categorical.join(", ") || "none"})`,
    );
  }
  if (train.width !== column)
    throw new RangeError(`the rows have ${train.width} columns, the inputs ${column}`);
  const first = new Float32Array(byValues * column).fill(Number.NaN);
  const varies = new Uint8Array(column);
  for (let r = 0; r < train.rows; r++) {
    const a = byValueIndex(train, { byStart, byValues }, r);
    if (a < 0) continue;
    const row = r * column;
    for (const c of candidates) {
      if (varies[c]) continue;
      const v = train.data[row + c]!;
      const seen = first[a * column + c]!;
      if (Number.isNaN(seen)) first[a * column + c] = v;
      else if (seen !== v) varies[c] = 1;
    }
  }
  const copied = candidates.filter((c) => varies[c] === 1);
  if (copied.length === 0)
    throw new RangeError(
      `--interactions ${by}: no column varies within a value of ${by} in the training rows, so there is nothing to copy`,
    );
  return { by, byStart, byValues, copied, width: column };
}

/** `x` with the interaction columns appended (a new matrix; `x` is not changed). */
export function withInteractions(x: Matrix, plan: InteractionPlan): Matrix {
  if (x.width !== plan.width)
    throw new RangeError(`the rows have ${x.width} columns, the interaction plan expects ${plan.width}`);
  const width = expandedWidth(plan);
  const k = plan.copied.length;
  const data = new Float32Array(x.rows * width);
  for (let r = 0; r < x.rows; r++) {
    const src = r * x.width;
    const dst = r * width;
    data.set(x.data.subarray(src, src + x.width), dst);
    const a = byValueIndex(x, plan, r);
    if (a < 0) continue;
    const at = dst + x.width + a * k;
    for (let j = 0; j < k; j++) data[at + j] = x.data[src + plan.copied[j]!]!;
  }
  return { data, rows: x.rows, width };
}
