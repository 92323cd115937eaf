/**
 * Per-action (or per-business-unit) copies of the numeric inputs and of the channel, appended to an
 * encoded matrix: for each value a of `by` and each numeric input x, the column eq(by, a) · x (x as
 * encoded, i.e. standardised), and eq(by, a) · eq(channel, c) for each channel c. A logistic model
 * on the result is a per-action GLM sharing the common terms — what the formulas
 * `mul(eq(actionId,'a'),x)` and `cross(actionId,channel)` would give (up to each column's scaling).
 * Built on the matrix, not as table columns, to keep the independent population's memory small.
 * Rows whose `by` is unseen (cold-start masked) get zeros, as the formulas would.
 *
 * The probe's own variants (per business unit, scaled, core observables only, formula columns).
 * The product's version of `:xa` is src/training/prep/interactions.ts (`--interactions actionId`),
 * which picks the copied columns from the data and is built inside the ONNX graph.
 */

import type { ModelInput } from "../../../src/scoring/model-metadata.js";
import { ENGINEERED_RAW } from "../../../src/training/data/generated-formulas.js";
import type { Matrix } from "../../../src/training/prep/encode-table.js";

export type Interactions = "actionId" | "businessUnit";

export interface InteractionPlan {
  /** First column of `by`'s one-hot block and its number of known values (unseen excluded). */
  readonly byStart: number;
  readonly byValues: number;
  /** Columns copied per value of `by`: the numeric inputs, then the channel one-hot (unseen excluded). */
  readonly copied: readonly number[];
  /**
   * Standardisation of the appended columns ((v − mean) / scale, from the training rows), as
   * fitInputs would standardise formula columns `mul(eq(actionId,'a'),x)`; none: left as products.
   */
  readonly scaling?: { readonly mean: Float64Array; readonly scale: Float64Array };
}

/**
 * The observables the true acceptance log-odds weights per action (src/generator/ground-truth.ts),
 * as the engineered inputs spell them: `:xc` copies only these (and the channel).
 */
export const CORE_INPUTS: readonly string[] = [
  "unit_views",
  "complaints_30d_cap3",
  "service_calls_30d_cap5",
  "log_logins_30d",
  "log_tenure_years",
  "log_app_logins_30d",
  "log_transactions_30d",
  "log_email_opens_30d",
  "activity_drop",
  "holds_credit_card",
  "holds_personal_loan",
  "holds_mortgage",
  "holds_savings_account",
];

export function interactionPlan(
  inputs: readonly ModelInput[],
  by: Interactions,
  only?: readonly string[],
): InteractionPlan {
  if (only) {
    const missing = only.filter((n) => !inputs.some((i) => i.type === "numeric" && i.name === n));
    if (missing.length > 0) throw new Error(`interactions: no numeric input ${missing.join(", ")}`);
  }
  let c = 0;
  let byStart = -1;
  let byValues = 0;
  const copied: number[] = [];
  for (const input of inputs) {
    if (input.type === "numeric") {
      // actionValue is one value per action: its per-action copy would only repeat the intercept.
      if (input.name !== "actionValue" && (!only || only.includes(input.name))) copied.push(c);
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
    if (a >= 0) {
      const at = dst + m.width + a * plan.copied.length;
      for (let j = 0; j < plan.copied.length; j++) data[at + j] = m.data[src + plan.copied[j]!]!;
    }
    if (plan.scaling) {
      const { mean, scale } = plan.scaling;
      for (let j = 0; j < extra; j++)
        data[dst + m.width + j] = (data[dst + m.width + j]! - mean[j]!) / scale[j]!;
    }
  }
  return { data, rows: m.rows, width };
}

/** `plan` with the standardisation of its appended columns fitted on `train` (encoded, without them). */
export function withScaling(plan: InteractionPlan, train: Matrix): InteractionPlan {
  const x = withInteractions(train, { ...plan, scaling: undefined });
  const extra = x.width - train.width;
  const mean = new Float64Array(extra);
  const sq = new Float64Array(extra);
  for (let r = 0; r < x.rows; r++)
    for (let j = 0; j < extra; j++) {
      const v = x.data[r * x.width + train.width + j]!;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  const scale = new Float64Array(extra);
  for (let j = 0; j < extra; j++) {
    mean[j]! /= x.rows;
    const sd = Math.sqrt(Math.max(0, sq[j]! / x.rows - mean[j]! * mean[j]!));
    scale[j] = sd > 1e-12 ? sd : 1;
  }
  return { ...plan, scaling: { mean, scale } };
}

/**
 * The same copies as formulas (`:fa`): `mul(eq(actionId,'a'),x)` for each action and each numeric
 * engineered input x (its formula, or the raw column), and `cross(actionId,channel)` — what a change
 * to src/training/data/generated-formulas.ts would add. Table columns, so they cost memory.
 */
export function perActionFormulas(
  actions: readonly string[],
  formulas: Readonly<Record<string, string>>,
  numericRaw: readonly string[],
): { name: string; formula: string }[] {
  const sources = [
    ...Object.entries(formulas).map(([name, formula]) => ({ name, formula })),
    ...numericRaw.map((n) => ({ name: n, formula: n })),
  ];
  return [
    ...actions.flatMap((a) =>
      sources.map((x) => ({ name: `${a}_x_${x.name}`, formula: `mul(eq(actionId,'${a}'),${x.formula})` })),
    ),
    { name: "action_x_channel", formula: "cross(actionId,channel)" },
  ];
}

/** The numeric raw inputs of ENGINEERED_RAW.propensity that `:fa` copies (actionValue is per action already). */
export const PER_ACTION_RAW: readonly string[] = ENGINEERED_RAW.propensity.slice(
  ENGINEERED_RAW.propensity.indexOf("holds_credit_card"),
);
