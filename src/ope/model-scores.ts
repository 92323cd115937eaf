/**
 * Target (d): another model version. Every logged service decision is scored again from its logged
 * features with the given churn and/or propensity model, exactly as the service builds the model rows
 * (`customerRow`/`actionRow` from src/decisioning/model-rows.ts over features, profile and context);
 * the new scores then replace the logged ones when the decision is replayed (see bandit-replay.ts).
 * Rows without features, or with features of another feature plan, cannot be scored: they are listed
 * and left out of the estimate.
 */
import { actionRow, customerRow, type RowSource } from "../decisioning/model-rows.js";
import type { Policy } from "../policy/index.js";
import type { RawRow } from "../scoring/encode-inputs.js";
import type { LoggedDecision, RowIssue } from "./logged-decision.js";
import { loggedFeatures, type PlanNames, placementContext } from "./logged-features.js";
import { OpeInputError } from "./ope-input-error.js";

/** What rescoring needs of a model: an `OnnxModel` from `loadModelVersion` fits. */
export interface ScoringModel {
  readonly name: string;
  readonly version: string;
  /** `metered: false`: rescoring a log is not serving, so it stays out of the scoring metrics. */
  predict(rows: readonly RawRow[], options?: { readonly metered?: boolean }): Promise<Float64Array>;
}

export interface TargetModels {
  readonly propensity?: ScoringModel;
  readonly churn?: ScoringModel;
}

/** One logged decision's new scores. */
export interface RowScores {
  /** P(accept) per candidate (row order); NaN for a candidate the policy does not know. */
  readonly propensity?: Float64Array;
  readonly churn?: number;
}

export interface RescoredLog {
  /** Versions of the models the rows were scored with. */
  readonly models: Readonly<{ propensity?: string; churn?: string }>;
  /** By `rowKey(row)`. */
  readonly rows: ReadonlyMap<string, RowScores>;
  /** Rows that could not be scored, with why. */
  readonly skipped: readonly RowIssue[];
}

/** Identifies a logged row across reads of the same log. */
export const rowKey = (row: LoggedDecision): string => `${row.line}\u0000${row.id}`;

export interface RescoreOptions {
  /** The feature plan the logged features must be in (default: the service's current plan). */
  readonly plan?: PlanNames;
  /** Rows per batched model run (default 512 decisions). */
  readonly batch?: number;
}

/**
 * Scores every logged decision again with the given models. `policy` supplies each candidate's
 * attributes the propensity model reads (business unit, value); candidates it does not know get NaN.
 */
export async function rescoreLog(
  rows: readonly LoggedDecision[],
  models: TargetModels,
  policy: Policy,
  options: RescoreOptions = {},
): Promise<RescoredLog> {
  if (!models.propensity && !models.churn) throw new OpeInputError("give a propensity or a churn model");
  const batch = Math.max(1, options.batch ?? 512);
  const skipped: RowIssue[] = [];
  const ready: { row: LoggedDecision; source: RowSource }[] = [];
  for (const row of rows) {
    if (!row.placement) {
      skipped.push({ line: row.line, reason: "not a service decision (no journey, features or context)" });
      continue;
    }
    const features = loggedFeatures(row.placement, options.plan);
    if (!features.ok) {
      skipped.push({ line: row.line, reason: features.reason });
      continue;
    }
    // The service's rule data minus what the log does not keep (the profile; its fields that the
    // models read are features of the plan).
    ready.push({
      row,
      source: { features: features.features, profile: {}, context: placementContext(row.placement) },
    });
  }

  const scores = new Map<string, RowScores>();
  for (let start = 0; start < ready.length; start += batch) {
    const part = ready.slice(start, start + batch);
    const churn = models.churn
      ? await models.churn.predict(
          part.map((r) => customerRow(r.source)),
          { metered: false },
        )
      : undefined;
    let propensity: Float64Array | undefined;
    const known: number[][] = [];
    if (models.propensity) {
      const actionRows: RawRow[] = [];
      for (const { row, source } of part) {
        const positions: number[] = [];
        row.candidates.forEach((id, k) => {
          const action = policy.actionById.get(id);
          if (!action) return;
          positions.push(k);
          actionRows.push(actionRow(source, action));
        });
        known.push(positions);
      }
      propensity = await models.propensity.predict(actionRows, { metered: false });
    }
    let next = 0;
    part.forEach(({ row }, j) => {
      const entry: { propensity?: Float64Array; churn?: number } = {};
      if (churn) entry.churn = churn[j]!;
      if (propensity) {
        const p = new Float64Array(row.candidates.length).fill(Number.NaN);
        for (const k of known[j]!) p[k] = propensity[next++]!;
        entry.propensity = p;
      }
      scores.set(rowKey(row), entry);
    });
  }
  return {
    models: {
      ...(models.propensity ? { propensity: models.propensity.version } : {}),
      ...(models.churn ? { churn: models.churn.version } : {}),
    },
    rows: scores,
    skipped,
  };
}
