/**
 * Per-action (or per-business-unit) copies of the numeric inputs and of the channel, appended to an
 * encoded matrix: for each value a of `by` and each numeric input x, the column eq(by, a) · x (x as
 * encoded, i.e. standardised), and eq(by, a) · eq(channel, c) for each channel c. A logistic model
 * on the result is a per-action GLM sharing the common terms — what the formulas
 * `mul(eq(actionId,'a'),x)` and `cross(actionId,channel)` would give (up to each column's scaling).
 * Built on the matrix, not as table columns, to keep the independent population's memory small.
 * Rows whose `by` is unseen (cold-start masked) get zeros, as the formulas would.
 */
import type { ModelInput } from "../../../src/scoring/model-metadata.js";
import type { Matrix } from "../../../src/training/prep/encode-table.js";

export type Interactions = "actionId" | "businessUnit";

export interface InteractionPlan {
  /** First column of `by`'s one-hot block and its number of known values (unseen excluded). */
  readonly byStart: number;
  readonly byValues: number;
  /** Columns copied per value of `by`: the numeric inputs, then the channel one-hot (unseen excluded). */
  readonly copied: readonly number[];
}

export function interactionPlan(inputs: readonly ModelInput[], by: Interactions): InteractionPlan {
  let c = 0;
  let byStart = -1;
  let byValues = 0;
  const copied: number[] = [];
  for (const input of inputs) {
    if (input.type === "numeric") {
      // actionValue is one value per action: its per-action copy would only repeat the intercept.
      if (input.name !== "actionValue") copied.push(c);
      c += 1;
    } else {
      const n = input.vocabulary.length;
      if (input.name === by) {
        byStart = c;
        byValues = n;
      } else if (input.name === "channel" && by === "actionId") {
        for (let k = 0; k < n; k++) copied.push(c + k);
      } else if (input.name === "channel" && by === "businessUnit") {
        for (let k = 0; k < n; k++) copied.push(c + k);
      }
      c += n + 1;
    }
  }
  if (byStart < 0) throw new Error(`interactions: no categorical input ${by}`);
  return { byStart, byValues, copied };
}

export function withInteractions(m: Matrix, plan: InteractionPlan): Matrix {
  const extra = plan.byValues * plan.copied.length;
  const width = m.width + extra;
  const data = new Float32Array(m.rows * width);
  for (let r = 0; r < m.rows; r++) {
    const src = r * m.width;
    const dst = r * width;
    data.set(m.data.subarray(src, src + m.width), dst);
    let a = -1;
    for (let k = 0; k < plan.byValues; k++)
      if (m.data[src + plan.byStart + k] === 1) {
        a = k;
        break;
      }
    if (a < 0) continue;
    const at = dst + m.width + a * plan.copied.length;
    for (let j = 0; j < plan.copied.length; j++) data[at + j] = m.data[src + plan.copied[j]!]!;
  }
  return { data, rows: m.rows, width };
}
