/**
 * Trains one model on a labelled table and evaluates it on held-out rows: split (seeded), fit the
 * preprocessing on the training rows, encode with the shared encoder, fit the model (a tfjs network
 * or gradient-boosted trees) with early stopping on the validation rows, score the test rows. Every
 * kind shares the split, the encoding and the evaluation. Same set + same options = same model and
 * metrics.
 */
import { createRandom } from "../../random/seeded-random.js";
import type { ModelInput } from "../../scoring/model-metadata.js";
import { type GbdtParams, resolveGbdtParams } from "../gbdt/params.js";
import { type Evaluation, evaluate } from "../metrics/evaluate.js";
import { isNetworkKind, type ModelKind, type NetworkKind, usesNetwork } from "../model-kind.js";
import { encodeTable, type Matrix } from "../prep/encode-table.js";
import { fitInputs } from "../prep/fit-inputs.js";
import { type InteractionPlan, planInteractions } from "../prep/interactions.js";
import { sklearnStratifiedSplit } from "../sklearn-split.js";
import { type Split, type SplitKind, snapshotSplit, stratifiedSplit, timeSplit } from "../split.js";
import { type TrainingSet, takeValues } from "../table.js";
import { type BackendName, selectBackend } from "../tf/backend.js";
import type { EpochLog, FitResult } from "../tf/fit-network.js";
import { fitBlendModel } from "./blend-model.js";
import { type LearnedModel, predictLearned } from "./learned-model.js";
import { fitNetworkModel, type NetworkSettings } from "./network-model.js";
import { fitTreeModel } from "./tree-model.js";

export { mergeEnsemble } from "./network-model.js";

/** What a progress report counts: network epochs, or boosting rounds (trees). */
export type ProgressUnit = "epoch" | "round";

export interface TrainOptions {
  readonly kind: ModelKind;
  readonly seed: number;
  readonly split: SplitKind;
  /** Share of rows held out for the test metrics (default 0.2). */
  readonly testFraction?: number;
  /** Share of the training rows used for early stopping (default 0.15). */
  readonly validationFraction?: number;
  /** Networks (and a blend's MLP part): most epochs. */
  readonly epochs?: number;
  readonly batchSize?: number;
  /** Adam's step for networks (a blend's MLP part), the shrinkage for gbdt (a blend's trees: `gbdt`). */
  readonly learningRate?: number;
  /** Epochs (networks) or rounds (gbdt) without a better validation loss before stopping. */
  readonly patience?: number;
  /** "none", "balanced" (weights n / (2 n_class)) or the weight of positives (negatives 1). Networks only. */
  readonly classWeight?: "none" | "balanced" | number;
  readonly hidden?: readonly number[];
  readonly l2?: number;
  /**
   * MLP only: train this many networks from different seeds (same split and rows) and export their
   * average logit as one wider MLP (layers side by side, the output averaged): one ONNX graph of
   * Gemm/Relu, so serving and parity are unchanged. Default 1.
   */
  readonly ensemble?: number;
  /**
   * gbdt: tree settings beside the learning rate and patience above (defaults: gbdt/params.ts).
   * blend: every tree setting, learning rate and patience included (the flat ones are its network's).
   */
  readonly gbdt?: Partial<GbdtParams>;
  /**
   * Networks and a blend's network part: also read per-value copies of the columns that vary within
   * each value of this categorical input (prep/interactions.ts), e.g. `actionId`: one GLM per action
   * for a logistic model. The trees of a blend read the plain columns.
   */
  readonly interactions?: string;
  /** A blend's network part: `mlp` (default) or `logistic`. */
  readonly blendNetwork?: NetworkKind;
  readonly backend?: BackendName;
  /** Progress after each epoch (networks) or every few rounds (gbdt): `total` of `unit`s at most. */
  readonly onEpoch?: (log: EpochLog, total: number, unit: ProgressUnit) => void;
}

/** The options a model was trained with, defaults filled in (metrics.json records them). */
export interface ResolvedTrainOptions {
  readonly kind: ModelKind;
  readonly seed: number;
  readonly split: SplitKind;
  readonly testFraction: number;
  readonly validationFraction: number;
  /** The network's, or the trees' for gbdt; a blend's are its MLP's (the trees' are in `gbdt`). */
  readonly learningRate: number;
  readonly patience: number;
  readonly classWeight: "none" | "balanced" | number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly hidden?: readonly number[];
  readonly l2?: number;
  readonly ensemble?: number;
  readonly gbdt?: GbdtParams;
  readonly interactions?: string;
  readonly blendNetwork?: NetworkKind;
}

export interface TrainedModel {
  /** The model: a tfjs network and its exported layers, a tree ensemble, or a blend of both. */
  readonly model: LearnedModel;
  readonly inputs: readonly ModelInput[];
  readonly split: Split;
  readonly test: Matrix & { readonly labels: Uint8Array; readonly truth?: Float64Array };
  readonly testProbabilities: Float32Array;
  readonly evaluation: Evaluation;
  /** The generator's true probabilities scored on the same test rows (generated data only). */
  readonly truthEvaluation?: Evaluation;
  /** History (per epoch, or every few rounds), best epoch or round, time. */
  readonly fit: FitResult;
  /** The tfjs backend for networks and blends; "typescript" for trees (no tfjs involved). */
  readonly backend: BackendName | "typescript";
  readonly options: ResolvedTrainOptions;
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
}

function splitRows(
  set: TrainingSet,
  kind: SplitKind,
  fraction: number,
  seed: number,
  label: string,
  rows?: ArrayLike<number>,
): Split {
  if (kind === "time") {
    if (!set.times)
      throw new RangeError(
        "--split time needs row times: this data has none (use --split stratified, or name a time column)",
      );
    // Only the held-out split: inside the training rows, the latest snapshot's label windows
    // overlap every older one, so a snapshot split there would leave nothing to train on; their
    // overlap can only flatter early stopping, never the test rows.
    if (set.labelEnds && !rows) return snapshotSplit(set.times, set.labelEnds);
    return timeSplit(set.times, fraction, rows);
  }
  // The inner (early-stopping) split of sklearn's training rows is train_test_split on them sorted.
  if (kind === "sklearn") return sklearnStratifiedSplit(set.labels, fraction, seed, rows);
  return stratifiedSplit(set.labels, fraction, createRandom(seed).fork(label), rows);
}

function spansTime(times: Float64Array | undefined, rows: ArrayLike<number>): boolean {
  if (!times || rows.length === 0) return false;
  const t0 = times[rows[0]!];
  for (let i = 1; i < rows.length; i++) if (times[rows[i]!] !== t0) return true;
  return false;
}

function classWeights(
  labels: Uint8Array,
  setting: TrainOptions["classWeight"],
): { 0: number; 1: number } | undefined {
  if (setting === undefined || setting === "none") return undefined;
  if (typeof setting === "number") return { 0: 1, 1: setting };
  const positives = labels.reduce((s, y) => s + y, 0);
  return { 0: labels.length / (2 * (labels.length - positives)), 1: labels.length / (2 * positives) };
}

/**
 * About a hundred mini-batches per epoch, as a power of two in 64..4096: small sets get enough
 * updates per epoch, large ones keep the per-batch overhead of tfjs from dominating (with
 * `model.fit`, 387k propensity rows trained in about 55 s at 4096, 90 s at 1024, to the same AUC;
 * the loop of fit-network.ts costs about the same per row at 2048, 4096 or 8192).
 */
export function autoBatchSize(rows: number): number {
  return Math.min(4096, Math.max(64, 2 ** Math.round(Math.log2(Math.max(1, rows) / 100))));
}

/**
 * Networks: Adam's step grows with the batch beyond 1024 (fewer, less noisy steps per epoch): 3x at
 * 4096. gbdt: the shrinkage of its defaults.
 */
export function defaultLearningRate(kind: ModelKind, batchSize: number): number {
  if (kind === "gbdt") return resolveGbdtParams().learningRate;
  return (kind === "logistic" ? 1e-2 : 1e-3) * Math.max(1, (batchSize / 1024) ** 0.8);
}

/**
 * A network reading per-value interaction columns takes a tenth of the usual Adam step by default:
 * most of those columns are zero in most rows, and at the logistic default (0.03 at batch 4096) the
 * per-action weights overshoot and early stopping ends the fit after a few useful epochs. On the
 * generated propensity data the blend's validation log loss fell from 0.18254 to 0.18212 with the
 * smaller step and L2 1e-5 (docs/models.md, "Per-action interactions").
 */
export const INTERACTIONS_STEP_FACTOR = 0.1;

function resolveOptions(set: TrainingSet, options: TrainOptions): ResolvedTrainOptions {
  const common = {
    kind: options.kind,
    seed: options.seed,
    split: options.split,
    testFraction: options.testFraction ?? 0.2,
    validationFraction: options.validationFraction ?? 0.15,
    classWeight: options.classWeight ?? "none",
  } as const;
  if (options.split === "time" && set.labelEnds && options.testFraction !== undefined)
    throw new RangeError(
      "--test-fraction does not apply to a time split of churn: the test rows are the customers at the label time T",
    );
  if (options.interactions !== undefined && options.kind === "gbdt")
    throw new RangeError(
      "--interactions is for logistic and mlp models and a blend's network part, not gbdt",
    );
  if (options.blendNetwork !== undefined && options.kind !== "blend")
    throw new RangeError("--blend-network is for --model blend");
  if (options.kind === "gbdt") {
    if (common.classWeight !== "none")
      throw new RangeError("--class-weight is for logistic and mlp models; gbdt trains unweighted");
    const gbdt = resolveGbdtParams({
      ...options.gbdt,
      ...(options.learningRate !== undefined ? { learningRate: options.learningRate } : {}),
      ...(options.patience !== undefined ? { patience: options.patience } : {}),
    });
    return { ...common, learningRate: gbdt.learningRate, patience: gbdt.patience, gbdt };
  }
  if (options.kind === "blend" && common.classWeight !== "none")
    throw new RangeError("--class-weight is for logistic and mlp models; a blend's trees train unweighted");
  const batchSize = options.batchSize ?? autoBatchSize(set.labels.length);
  const blendNetwork = options.kind === "blend" ? (options.blendNetwork ?? "mlp") : undefined;
  return {
    ...common,
    epochs: options.epochs ?? 60,
    batchSize,
    learningRate:
      options.learningRate ??
      defaultLearningRate(blendNetwork ?? options.kind, batchSize) *
        (options.interactions !== undefined ? INTERACTIONS_STEP_FACTOR : 1),
    patience: options.patience ?? 6,
    hidden: options.hidden,
    l2: options.l2,
    ...(options.ensemble !== undefined && options.ensemble > 1 ? { ensemble: options.ensemble } : {}),
    ...(options.kind === "blend" ? { gbdt: resolveGbdtParams(options.gbdt) } : {}),
    ...(options.interactions !== undefined ? { interactions: options.interactions } : {}),
    ...(blendNetwork ? { blendNetwork } : {}),
  };
}

/** The network part's settings (a network kind, or a blend's network). */
function networkSettings(
  o: ResolvedTrainOptions,
  labels: Uint8Array,
  interactions: InteractionPlan | undefined,
): NetworkSettings {
  return {
    kind: o.kind === "blend" ? (o.blendNetwork ?? "mlp") : o.kind === "logistic" ? "logistic" : "mlp",
    seed: o.seed,
    epochs: o.epochs!,
    batchSize: o.batchSize!,
    learningRate: o.learningRate,
    patience: o.patience,
    ...(o.hidden ? { hidden: o.hidden } : {}),
    ...(o.l2 !== undefined ? { l2: o.l2 } : {}),
    ...(o.ensemble !== undefined ? { ensemble: o.ensemble } : {}),
    ...(o.classWeight !== "none" ? { classWeight: classWeights(labels, o.classWeight)! } : {}),
    ...(interactions ? { interactions } : {}),
  };
}

export async function trainModel(set: TrainingSet, options: TrainOptions): Promise<TrainedModel> {
  const o = resolveOptions(set, options);
  const kind = o.kind;
  const backend = usesNetwork(kind) ? await selectBackend(options.backend) : "typescript";
  const split = splitRows(set, o.split, o.testFraction, o.seed, "test-split");
  // By time when the training rows span time; rows of one label time (churn trained on one earlier
  // snapshot) are split stratified for early stopping.
  const innerKind = o.split === "time" && !spansTime(set.times, split.train) ? "stratified" : o.split;
  const inner = splitRows(set, innerKind, o.validationFraction, o.seed, "validation-split", split.train);
  const inputs = fitInputs(set.table, split.train, {
    ...(set.fills ? { fills: set.fills } : {}),
    ...(set.formulas ? { formulas: set.formulas } : {}),
    ...(set.inputs ? { columns: set.inputs } : {}),
  });
  const labelled = (rows: Uint32Array, cold?: boolean) => ({
    ...encodeTable(
      inputs,
      set.table,
      rows,
      cold && set.coldStart
        ? { rates: set.coldStart, random: createRandom(o.seed).fork("cold-start") }
        : undefined,
    ),
    labels: takeValues(set.labels, rows),
  });
  const trainX = labelled(inner.train, true);
  const valX = labelled(inner.test);
  const testX = {
    ...labelled(split.test),
    ...(set.truth ? { truth: takeValues(set.truth, split.test) } : {}),
  };
  // True probabilities are known at the generator's label time only (earlier churn snapshots have none).
  const truthKnown = testX.truth?.every(Number.isFinite) ?? false;

  const interactions = o.interactions ? planInteractions(inputs, o.interactions, trainX) : undefined;
  const progress = options.onEpoch;
  const onEpoch = progress ? (log: EpochLog) => progress(log, o.epochs!, "epoch") : undefined;
  const onRound = progress ? (log: EpochLog) => progress(log, o.gbdt!.trees, "round") : undefined;
  const { model, fit }: { model: LearnedModel; fit: FitResult } = isNetworkKind(kind)
    ? await fitNetworkModel(trainX, valX, networkSettings(o, trainX.labels, interactions), onEpoch)
    : kind === "blend"
      ? await fitBlendModel(trainX, valX, networkSettings(o, trainX.labels, interactions), o.gbdt!, {
          ...(onRound ? { onRound } : {}),
          ...(onEpoch ? { onEpoch } : {}),
        })
      : await fitTreeModel(trainX, valX, o.gbdt!, o.seed, onRound);
  const testProbabilities = predictLearned(model, testX);
  return {
    model,
    inputs,
    split,
    test: testX,
    testProbabilities,
    evaluation: evaluate(testProbabilities, testX.labels),
    ...(testX.truth && truthKnown ? { truthEvaluation: evaluate(testX.truth, testX.labels) } : {}),
    fit,
    backend,
    options: o,
    rows: { train: inner.train.length, validation: inner.test.length, test: split.test.length },
  };
}
