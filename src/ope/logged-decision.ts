/**
 * One logged decision as the off-policy estimators see it, whatever log it came from (the service's
 * decision export or a generic CSV/JSONL log): a context vector, the candidate actions, the action the
 * logging policy took with its probability, and the reward that followed.
 */
import type { ContextValue } from "../decisioning/decision-record.js";

/** Where a service decision was made: what a draft policy's placements and context weights read. */
export interface DecisionPlacement {
  readonly journey: string;
  readonly step: string;
  readonly channel: string;
  /** The request's own context values. */
  readonly context: Readonly<Record<string, ContextValue>>;
  /** Actions the logged pipeline removed before the bandit, with the stage that removed them. */
  readonly excluded: readonly { readonly actionId: string; readonly stage: string }[];
  /** The policy version the decision was made under. */
  readonly policyVersion?: string;
  /** Versions of the models that scored it (`churn`, `propensity`). */
  readonly modelVersions?: Readonly<Record<string, string>>;
  /** The customer's feature values the models and rules saw, in the order of feature plan `featurePlan`. */
  readonly features?: readonly (number | null)[];
  readonly featurePlan?: string;
  /** The churn score the logged rules saw, when logged. */
  readonly churn?: number;
}

export interface LoggedDecision {
  /** 1-based line of the row in its file (the line a CSV record starts on); 0 when built in code. */
  readonly line: number;
  /** The decision id, the row's `id` column, or `line:<n>` when the log has neither. */
  readonly id: string;
  /** Context vector (the service's bandit context, or the generic log's features in `featureNames` order). */
  readonly x: Float64Array;
  /** Candidate action ids; unique. */
  readonly candidates: readonly string[];
  /** Index into `candidates` of the action the logging policy took. */
  readonly action: number;
  /** Logging probability of that action, in (0, 1]. */
  readonly propensity: number;
  readonly reward: number;
  /** Logging probability of every candidate (same order), when the log has them. */
  readonly loggingProbabilities?: Float64Array;
  /** Offline P(accept) prior per candidate (same order), when the log has them. */
  readonly priors?: Float64Array;
  /** Arbitration multiplier (value × weights) per candidate, when the log has it for every candidate. */
  readonly multipliers?: Float64Array;
  /** Service decisions only. */
  readonly placement?: DecisionPlacement;
}

/** A row that was read but not used: malformed (with the validation message) or unusable. */
export interface RowIssue {
  readonly line: number;
  readonly reason: string;
  /** A short kind shared by rows skipped for the same cause (e.g. "no reward yet"), for counting them. */
  readonly category?: string;
}

export type LogFormat = "decision-export" | "jsonl" | "csv";

export interface LoadedLog {
  readonly format: LogFormat;
  readonly rows: readonly LoggedDecision[];
  /** Name of each coordinate of `x`. */
  readonly featureNames: readonly string[];
  /** Data rows read (blank lines and the CSV header excluded). */
  readonly read: number;
  /** Rows that failed validation, by line. */
  readonly malformed: readonly RowIssue[];
  /** Valid rows that cannot be evaluated (e.g. no reward joined yet, nothing served). */
  readonly skipped: readonly RowIssue[];
}
