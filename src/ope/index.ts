/**
 * Off-policy evaluation: what a target policy would have earned on a logged set of decisions.
 * The service and scripts import from here; everything else in src/ope is an implementation detail.
 *
 *   const log = await readLogFile("decisions.jsonl");            // or loadDecisions(exported)
 *   const report = evaluate(log, { kind: "bandit", exploration: { algorithm: "softmax", temperature: 0.2 } });
 *   process.stdout.write(formatReport(report));
 */
export { type BootstrapInterval, type BootstrapOptions, bootstrap } from "./bootstrap.js";
export { directMethod } from "./direct-method.js";
export { doublyRobust } from "./doubly-robust.js";
export { effectiveSampleSize } from "./effective-sample-size.js";
export type { Estimator, EstimatorInput, EstimatorName } from "./estimator.js";
export { ESTIMATORS, type EvaluateOptions, evaluate } from "./evaluate.js";
export { formatReport } from "./format-report.js";
export { ips } from "./ips.js";
export { loadTarget } from "./load-target.js";
export { LogReader, type LogReadOptions, loadDecisions, parseLog, readLogFile } from "./log-reader.js";
export type { DecisionPlacement, LoadedLog, LogFormat, LoggedDecision, RowIssue } from "./logged-decision.js";
export { type LoggedFeatures, loggedFeatures, type PlanNames } from "./logged-features.js";
export {
  type RescoredLog,
  type RescoreOptions,
  type RowScores,
  rescoreLog,
  rowKey,
  type ScoringModel,
  type TargetModels,
} from "./model-scores.js";
export { OPE_USAGE, type OpeArgs, type ParsedOpeArgs, parseOpeArgs } from "./ope-args.js";
export { OpeInputError } from "./ope-input-error.js";
export type { EstimateRow, OpeDiagnostics, OpeReport } from "./ope-report.js";
export { reportHtml } from "./report-html.js";
export { resolveTarget } from "./resolve-target.js";
export {
  fitRewardModel,
  type RewardModel,
  type RewardModelOptions,
  type RewardRefit,
} from "./reward-model.js";
export { snips } from "./snips.js";
export type { ReplaySettings, Target, TargetDistributions, TargetProbabilities } from "./target.js";
export {
  parseTargetProbabilities,
  readTargetProbabilities,
  targetProbabilitiesOf,
} from "./target-probabilities.js";
