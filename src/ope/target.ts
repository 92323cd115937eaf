/**
 * The policies off-policy evaluation can value, and what each becomes: a distribution π(·|x_i) over
 * every logged row's candidates.
 */
import type { BanditState, ExplorationParams, ScorerKind } from "../bandit/index.js";
import type { Policy } from "../policy/index.js";
import type { LoggedDecision, RowIssue } from "./logged-decision.js";
import type { RescoredLog } from "./model-scores.js";

/** Target probabilities per row, from a file (see `parseTargetProbabilities`). */
export interface TargetProbabilities {
  /** By decision id / the log's `id` column. */
  readonly byId: ReadonlyMap<string, Readonly<Record<string, number>>>;
  /** By the 1-based line of the row in the log file. */
  readonly byLine: ReadonlyMap<number, Readonly<Record<string, number>>>;
  /** Entries whose probabilities did not sum to 1 and were normalised. */
  readonly normalised: number;
  readonly malformed: readonly RowIssue[];
  /** Where they came from (a file's path), for the report. */
  readonly source?: string;
}

/** Settings shared by the replayed-bandit targets. */
export interface ReplaySettings {
  /** Learned state to start from (a decoded snapshot); cold when absent (every arm predicts its prior). */
  readonly snapshot?: BanditState;
  /** Update the replayed bandit with each logged (x, action, reward) after scoring the row (default false). */
  readonly learn?: boolean;
  /** Prior for candidates without a logged one (default: the log's mean reward, clamped to [0.001, 0.999]). */
  readonly defaultPrior?: number;
}

export type Target =
  | { readonly kind: "probabilities"; readonly probabilities: TargetProbabilities }
  | {
      /** Any policy given in code: π over `row.candidates` (need not be normalised). */
      readonly kind: "function";
      readonly name: string;
      readonly distribution: (row: LoggedDecision, index: number) => ArrayLike<number>;
    }
  | (ReplaySettings & {
      /** Another bandit setting replayed over the logged contexts and candidates. */
      readonly kind: "bandit";
      readonly exploration: ExplorationParams;
      /** Ridge λ for a cold start (default: the snapshot's, else 1). */
      readonly ridge?: number;
      readonly scorer?: ScorerKind;
      /** Arbitration multipliers and exploration limits from this policy; else the logged multipliers. */
      readonly policy?: Policy;
    })
  | (ReplaySettings & {
      /** A draft policy: its arbitration factors and its bandit settings (or `exploration`, or greedy). */
      readonly kind: "policy";
      readonly policy: Policy;
      readonly greedy?: boolean;
      readonly exploration?: ExplorationParams;
    })
  | (ReplaySettings & {
      /**
       * Other model versions: the decisions scored again (`rescoreLog`) and replayed under `policy`
       * (the policy the log was made under, to change only the models, or a draft): the new
       * propensities replace the logged priors, the new churn score is what rules read.
       */
      readonly kind: "model";
      readonly scores: RescoredLog;
      readonly policy: Policy;
      readonly greedy?: boolean;
      readonly exploration?: ExplorationParams;
    });

export interface TargetDistributions {
  /** π(·|x_i) over `rows[i].candidates`, summing to 1; undefined when row i cannot be evaluated. */
  readonly probabilities: readonly (Float64Array | undefined)[];
  /** Mass the target put outside row i's logged candidates (dropped before normalising). */
  readonly outside: Float64Array;
  readonly description: string;
  /** What was approximated and how. */
  readonly notes: readonly string[];
  readonly warnings: readonly string[];
  /** Rows left out of the estimate, with why. */
  readonly unevaluated: readonly RowIssue[];
}
