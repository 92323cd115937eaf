/** The result of one off-policy evaluation: estimates with intervals, diagnostics and warnings. */
import type { EstimatorName } from "./estimator.js";
import type { LogFormat, RowIssue } from "./logged-decision.js";

export interface EstimateRow {
  readonly estimator: EstimatorName | "logged";
  readonly label: string;
  /** Estimated expected reward per decision. */
  readonly estimate: number;
  /** Bootstrap percentile interval (NaN without bootstrap). */
  readonly lower: number;
  readonly upper: number;
  /** Standard deviation of the bootstrap replicates. */
  readonly standardError: number;
  /** Effective sample size: Kish's (Σw)²/Σw² for weighted estimators, n otherwise. */
  readonly ess: number;
  /**
   * The estimate minus the logging policy's observed value, with the bootstrap interval of that
   * difference (paired: both on the same replicates; NaN without bootstrap). Absent on the logged row.
   */
  readonly vsLogging?: { readonly difference: number; readonly lower: number; readonly upper: number };
}

export interface OpeDiagnostics {
  /** Rows in the estimate. */
  readonly rows: number;
  /** Mean importance weight before clipping (about 1 when propensities are right and support is full). */
  readonly meanWeight: number;
  readonly maxWeight: number;
  readonly clip: number | null;
  readonly clippedRows: number;
  /** Share of the total importance weight that clipping removed. */
  readonly clippedMass: number;
  readonly ess: number;
  /** ESS / rows. */
  readonly essShare: number;
  /** Rows where the target puts probability on an action with logging probability below the threshold. */
  readonly lowPropensityRows: number;
  /** Mean target probability per row on such actions. */
  readonly lowPropensityMass: number;
  /** Of that, on actions with logging probability 0 (no support at all). */
  readonly zeroPropensityMass: number;
  /** Mean target probability per row on actions never logged anywhere in the log. */
  readonly neverLoggedMass: number;
  /** Rows where the target put probability outside the logged candidates (dropped). */
  readonly outsideRows: number;
  readonly outsideMass: number;
  /** Σ_i π(a|x_i) / n per action: where the target goes. */
  readonly targetActionShare: Readonly<Record<string, number>>;
  /** Share of the rows on which each action was logged. */
  readonly loggedActionShare: Readonly<Record<string, number>>;
}

export interface OpeReport {
  readonly log: {
    readonly format: LogFormat | "in-memory";
    /** Data rows read. */
    readonly read: number;
    /** Valid rows. */
    readonly valid: number;
    /** Rows in the estimate. */
    readonly evaluated: number;
    readonly malformed: readonly RowIssue[];
    readonly skipped: readonly RowIssue[];
    /** Valid rows the target could not be evaluated on. */
    readonly unevaluated: readonly RowIssue[];
    readonly actions: number;
    readonly features: number;
  };
  readonly target: { readonly description: string; readonly notes: readonly string[] };
  readonly options: {
    readonly clip: number | null;
    readonly bootstrap: number;
    readonly seed: number;
    readonly confidence: number;
    readonly minPropensity: number;
    readonly folds: number;
    readonly modelRidge: number;
    /** Whether the reward model was refitted on every bootstrap replicate. */
    readonly refitRewardModel: boolean;
  };
  readonly rewardModel: string;
  /** The logging policy's observed mean reward on the evaluated rows. */
  readonly logging: EstimateRow;
  readonly estimates: readonly EstimateRow[];
  readonly diagnostics: OpeDiagnostics;
  readonly warnings: readonly string[];
}
