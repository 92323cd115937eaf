/**
 * The library entry point: `evaluate(log, target, options)` values a target policy on a decision log
 * with IPS, SNIPS, the direct method and doubly robust, each with a seeded bootstrap interval and an
 * effective sample size, beside the logging policy's observed value, with support diagnostics.
 */
import { bootstrapReplicates, intervalOf } from "./bootstrap.js";
import { directMethod } from "./direct-method.js";
import { doublyRobust } from "./doubly-robust.js";
import { effectiveSampleSize } from "./effective-sample-size.js";
import type { Estimator, EstimatorInput } from "./estimator.js";
import { ips } from "./ips.js";
import type { LoadedLog, LoggedDecision } from "./logged-decision.js";
import { OpeInputError } from "./ope-input-error.js";
import type { EstimateRow, OpeReport } from "./ope-report.js";
import { resolveTarget } from "./resolve-target.js";
import { fitRewardModel, type RewardModel } from "./reward-model.js";
import { snips } from "./snips.js";
import { supportDiagnostics } from "./support-diagnostics.js";
import type { Target } from "./target.js";

export interface EvaluateOptions {
  /** Largest importance weight kept (weights above are set to it); no clipping when absent. */
  readonly clip?: number;
  /** Bootstrap replicates B (default 1000; 0: no intervals). */
  readonly bootstrap?: number;
  /** Seeds the bootstrap, the reward model's folds and the bandit replay (default 1). */
  readonly seed?: number;
  /** Interval coverage (default 0.95). */
  readonly confidence?: number;
  /** Logging probability under which target weight is reported (default 1e-3). */
  readonly minPropensity?: number;
  /**
   * Reward model: ridge λ (default 1) and cross-fitting folds (default 2), or a model already fitted
   * on this log's rows (`fitRewardModel(log.rows)`), to share one fit across several targets.
   */
  readonly rewardModel?: { readonly ridge?: number; readonly folds?: number } | RewardModel;
  /**
   * Refit the reward model on every bootstrap replicate (default true), so the DM and DR intervals
   * hold the model's own variance; false keeps the one fit (faster, intervals too narrow for DM).
   */
  readonly refitRewardModel?: boolean;
}

export const ESTIMATORS: readonly Estimator[] = [ips, snips, directMethod, doublyRobust];

function isLoadedLog(log: LoadedLog | readonly LoggedDecision[]): log is LoadedLog {
  return !Array.isArray(log);
}

function checkOptions(o: EvaluateOptions): void {
  if (o.clip !== undefined && !(o.clip > 0)) throw new OpeInputError("clip must be more than 0");
  if (o.bootstrap !== undefined && !(Number.isInteger(o.bootstrap) && o.bootstrap >= 0))
    throw new OpeInputError("bootstrap must be a whole number of replicates, 0 or more");
  if (o.confidence !== undefined && !(o.confidence > 0 && o.confidence < 1))
    throw new OpeInputError("confidence must be between 0 and 1");
  const folds = o.rewardModel && !("predictions" in o.rewardModel) ? o.rewardModel.folds : undefined;
  if (folds !== undefined && !(Number.isInteger(folds) && folds >= 1))
    throw new OpeInputError("folds must be a whole number of at least 1");
}

export function evaluate(
  log: LoadedLog | readonly LoggedDecision[],
  target: Target,
  options: EvaluateOptions = {},
): OpeReport {
  checkOptions(options);
  const loaded = isLoadedLog(log) ? log : undefined;
  const all = loaded ? loaded.rows : (log as readonly LoggedDecision[]);
  if (all.length === 0) {
    // The counts alone do not say what to fix: name the first reason of each kind.
    const first = (kind: string, list: readonly { line: number; reason: string }[]) =>
      list.length > 0 ? `; first ${kind} at line ${list[0]!.line}: ${list[0]!.reason}` : "";
    throw new OpeInputError(
      loaded && loaded.read > 0
        ? `no usable rows: ${loaded.malformed.length} malformed and ${loaded.skipped.length} skipped of ${loaded.read}` +
            first("malformed", loaded.malformed) +
            first("skipped", loaded.skipped)
        : "the log has no rows",
    );
  }
  const seed = options.seed ?? 1;
  const replicates = options.bootstrap ?? 1000;
  const confidence = options.confidence ?? 0.95;
  const minPropensity = options.minPropensity ?? 1e-3;
  const given = options.rewardModel && "predictions" in options.rewardModel ? options.rewardModel : undefined;
  const settings =
    options.rewardModel && !given ? (options.rewardModel as { ridge?: number; folds?: number }) : {};
  const folds = given?.folds ?? settings.folds ?? 2;
  const modelRidge = given?.ridge ?? settings.ridge ?? 1;
  if (given && given.predictions.length !== all.length)
    throw new OpeInputError(`the reward model has ${given.predictions.length} rows, the log ${all.length}`);

  const resolved = resolveTarget(all, target, seed);
  const model = given ?? fitRewardModel(all, { ridge: modelRidge, folds, seed });
  const used: number[] = [];
  resolved.probabilities.forEach((p, i) => {
    if (p) used.push(i);
  });
  if (used.length === 0) {
    const why = resolved.unevaluated[0];
    throw new OpeInputError(
      `the target cannot be evaluated on any row of the log${why ? ` (first at line ${why.line}: ${why.reason})` : ""}`,
    );
  }

  const n = used.length;
  const rows = used.map((i) => all[i]!);
  const probabilities = used.map((i) => resolved.probabilities[i]!);
  const rawWeights = new Float64Array(n);
  const input: EstimatorInput = {
    n,
    reward: new Float64Array(n),
    weight: new Float64Array(n),
    predictedLogged: new Float64Array(n),
    predictedTarget: new Float64Array(n),
  };
  used.forEach((i, j) => {
    const row = all[i]!;
    const pi = resolved.probabilities[i]!;
    const q = model.predictions[i]!;
    const w = pi[row.action]! / row.propensity;
    rawWeights[j] = w;
    input.weight[j] = options.clip !== undefined && w > options.clip ? options.clip : w;
    input.reward[j] = row.reward;
    input.predictedLogged[j] = q[row.action]!;
    let v = 0;
    for (let k = 0; k < pi.length; k++) v += pi[k]! * q[k]!;
    input.predictedTarget[j] = v;
  });

  // Per bootstrap replicate: the reward model refitted on the replicate's rows (rows outside the
  // estimate, which are not resampled, keep their weight of 1), and its predictions for the rows drawn.
  const refit = options.refitRewardModel ?? true;
  const replicate: EstimatorInput = {
    ...input,
    predictedLogged: new Float64Array(n),
    predictedTarget: new Float64Array(n),
  };
  const fitWeights = new Uint32Array(all.length).fill(1);
  const prepare = (counts: Uint32Array) => {
    for (let j = 0; j < n; j++) fitWeights[used[j]!] = counts[j]!;
    const fit = model.refit(fitWeights);
    for (let j = 0; j < n; j++) {
      if (counts[j] === 0) continue;
      const i = used[j]!;
      const pi = probabilities[j]!;
      replicate.predictedLogged[j] = fit.predict(i, all[i]!.action);
      let v = 0;
      for (let k = 0; k < pi.length; k++) if (pi[k]! > 0) v += pi[k]! * fit.predict(i, k);
      replicate.predictedTarget[j] = v;
    }
  };
  const sampled = refit ? replicate : input;

  const loggedValue = (counts?: Uint32Array) => {
    let sum = 0;
    let size = 0;
    for (let j = 0; j < n; j++) {
      const c = counts ? counts[j]! : 1;
      sum += c * input.reward[j]!;
      size += c;
    }
    return size > 0 ? sum / size : Number.NaN;
  };
  const values = bootstrapReplicates(
    n,
    [loggedValue, ...ESTIMATORS.map((e) => (counts: Uint32Array) => e.estimate(sampled, counts))],
    { replicates, seed, confidence, ...(refit ? { prepare } : {}) },
  );
  const intervals = values.map((v) => intervalOf(v, replicates, confidence));
  // Each estimate minus the logging policy's observed value on the same replicates: the interval of
  // the change itself, far narrower than comparing two intervals, since both move with the rows drawn.
  const differences = values.map((v) =>
    intervalOf(
      v.map((x, b) => x - values[0]![b]!),
      replicates,
      confidence,
    ),
  );
  const ess = effectiveSampleSize(input.weight);
  const logged = loggedValue();
  const row = (
    estimator: EstimateRow["estimator"],
    label: string,
    estimate: number,
    k: number,
    rowEss: number,
  ): EstimateRow => ({
    estimator,
    label,
    estimate,
    lower: intervals[k]!.lower,
    upper: intervals[k]!.upper,
    standardError: intervals[k]!.standardError,
    ess: rowEss,
  });

  const { diagnostics, warnings } = supportDiagnostics({
    rows,
    probabilities,
    rawWeights,
    weights: input.weight,
    outside: Float64Array.from(used, (i) => resolved.outside[i]!),
    clip: options.clip,
    minPropensity,
  });
  const allWarnings = [...resolved.warnings, ...warnings];
  if (loaded && loaded.malformed.length > 0)
    allWarnings.unshift(
      `${loaded.malformed.length} malformed row(s) skipped (first at line ${loaded.malformed[0]!.line}: ${loaded.malformed[0]!.reason})`,
    );
  if (resolved.unevaluated.length > 0)
    allWarnings.push(
      `${resolved.unevaluated.length} row(s) left out of the estimate (first at line ${resolved.unevaluated[0]!.line}: ${resolved.unevaluated[0]!.reason})`,
    );
  const undefinedReplicates = Math.max(...intervals.map((iv) => iv.undefinedReplicates));
  if (undefinedReplicates > 0)
    allWarnings.push(
      `${undefinedReplicates} bootstrap replicate(s) had an undefined estimate and were left out`,
    );

  const actions = new Set<string>();
  for (const r of all) for (const a of r.candidates) actions.add(a);
  return {
    log: {
      format: loaded?.format ?? "in-memory",
      read: loaded?.read ?? all.length,
      valid: all.length,
      evaluated: n,
      malformed: loaded?.malformed ?? [],
      skipped: loaded?.skipped ?? [],
      unevaluated: resolved.unevaluated,
      actions: actions.size,
      features: all[0]!.x.length,
    },
    target: { description: resolved.description, notes: resolved.notes },
    options: {
      clip: options.clip ?? null,
      bootstrap: replicates,
      seed,
      confidence,
      minPropensity,
      folds,
      modelRidge,
      refitRewardModel: refit,
    },
    rewardModel:
      model.description +
      (replicates > 0
        ? refit
          ? "; refitted on every bootstrap replicate"
          : "; fitted once (not refitted per bootstrap replicate: its variance is not in the intervals)"
        : ""),
    logging: row("logged", "logging policy (observed)", logged, 0, n),
    estimates: ESTIMATORS.map((e, k) => {
      const estimate = e.estimate(input);
      const difference = differences[k + 1]!;
      return {
        ...row(e.name, e.label, estimate, k + 1, e.name === "dm" ? n : ess),
        vsLogging: { difference: estimate - logged, lower: difference.lower, upper: difference.upper },
      };
    }),
    diagnostics,
    warnings: allWarnings,
  };
}
