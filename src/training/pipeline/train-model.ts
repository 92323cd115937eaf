/**
 * Trains one model on a labelled table and evaluates it on held-out rows: split (seeded), fit the
 * preprocessing on the training rows, encode with the shared encoder, fit the network with early
 * stopping, calibrate if class weights were used, score the test rows. Same set + same options =
 * same weights and metrics.
 */
import type * as tf from "@tensorflow/tfjs";
import { createRandom } from "../../random/seeded-random.js";
import type { ModelInput } from "../../scoring/model-metadata.js";
import { type Evaluation, evaluate } from "../metrics/evaluate.js";
import { encodeTable, type Matrix } from "../prep/encode-table.js";
import { fitInputs } from "../prep/fit-inputs.js";
import { type Split, type SplitKind, stratifiedSplit, timeSplit } from "../split.js";
import { type TrainingSet, takeValues } from "../table.js";
import { type BackendName, selectBackend } from "../tf/backend.js";
import {
  buildNetwork,
  type DenseLayer,
  defaultL2,
  denseLayers,
  type ModelKind,
  setDenseLayers,
} from "../tf/build-network.js";
import { type EpochLog, type FitResult, fitNetwork } from "../tf/fit-network.js";
import { fitPlatt, foldPlatt, type Platt } from "../tf/platt.js";
import { predictProbabilities } from "../tf/predict.js";
import { zeroUnusedInputs } from "./unused-inputs.js";

export interface TrainOptions {
  readonly kind: ModelKind;
  readonly seed: number;
  readonly split: SplitKind;
  /** Share of rows held out for the test metrics (default 0.2). */
  readonly testFraction?: number;
  /** Share of the training rows used for early stopping (default 0.15). */
  readonly validationFraction?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly patience?: number;
  /** "none", "balanced" (weights n / (2 n_class)) or the weight of positives (negatives 1). */
  readonly classWeight?: "none" | "balanced" | number;
  readonly hidden?: readonly number[];
  readonly l2?: number;
  /**
   * MLP only: train this many networks from different seeds (same split and rows) and export their
   * average logit as one wider MLP (layers side by side, the output averaged): one ONNX graph of
   * Gemm/Relu, so serving and parity are unchanged. Default 1.
   */
  readonly ensemble?: number;
  readonly backend?: BackendName;
  readonly onEpoch?: (log: EpochLog, epochs: number) => void;
}

export interface TrainedModel {
  readonly network: tf.Sequential;
  /** The exported parameters (calibration folded in, unused inputs zeroed). */
  readonly layers: readonly DenseLayer[];
  readonly inputs: readonly ModelInput[];
  readonly split: Split;
  readonly test: Matrix & { readonly labels: Uint8Array; readonly truth?: Float64Array };
  readonly testProbabilities: Float32Array;
  readonly evaluation: Evaluation;
  /** The generator's true probabilities scored on the same test rows (generated data only). */
  readonly truthEvaluation?: Evaluation;
  readonly fit: FitResult;
  readonly platt?: Platt;
  readonly backend: BackendName;
  readonly options: Required<Omit<TrainOptions, "onEpoch" | "backend" | "hidden" | "l2" | "ensemble">> &
    Pick<TrainOptions, "hidden" | "l2" | "ensemble">;
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
    return timeSplit(set.times, fraction, rows);
  }
  return stratifiedSplit(set.labels, fraction, createRandom(seed).fork(label), rows);
}

/** Seed of ensemble member k (member 0 uses the training seed itself). */
const memberSeed = (seed: number, k: number): number => seed + 7919 * k;

/**
 * K networks of the same shape as one: hidden layers side by side (the first concatenated over
 * units, deeper ones block-diagonal) and the output unit averaging the members' logits, so
 * sigmoid(mean logit) is exactly what the merged network computes.
 */
export function mergeEnsemble(members: readonly (readonly DenseLayer[])[]): {
  layers: DenseLayer[];
  hidden: number[];
} {
  const k = members.length;
  const depth = members[0]!.length;
  const layers: DenseLayer[] = [];
  for (let l = 0; l < depth; l++) {
    const parts = members.map((m) => m[l]!);
    const last = l === depth - 1;
    const inputs = l === 0 ? parts[0]!.inputs : parts.reduce((s, p) => s + p.inputs, 0);
    const units = last ? 1 : parts.reduce((s, p) => s + p.units, 0);
    const kernel = new Float32Array(inputs * units);
    const bias = new Float32Array(units);
    let rowOffset = 0;
    let colOffset = 0;
    for (const p of parts) {
      for (let i = 0; i < p.inputs; i++)
        for (let j = 0; j < p.units; j++) {
          const row = l === 0 ? i : rowOffset + i;
          const col = last ? 0 : colOffset + j;
          kernel[row * units + col] = last ? p.kernel[i * p.units + j]! / k : p.kernel[i * p.units + j]!;
        }
      for (let j = 0; j < p.units; j++) {
        if (last) bias[0] = bias[0]! + p.bias[j]! / k;
        else bias[colOffset + j] = p.bias[j]!;
      }
      rowOffset += p.inputs;
      colOffset += p.units;
    }
    layers.push({ kernel, bias, inputs, units, activation: parts[0]!.activation });
  }
  return { layers, hidden: layers.slice(0, -1).map((l) => l.units) };
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

/** Adam's step grows with the batch beyond 1024 (fewer, less noisy steps per epoch): 3x at 4096. */
export function defaultLearningRate(kind: ModelKind, batchSize: number): number {
  return (kind === "mlp" ? 1e-3 : 1e-2) * Math.max(1, (batchSize / 1024) ** 0.8);
}

function priorLogit(labels: Uint8Array, weights: { 0: number; 1: number } | undefined): number {
  const positives = labels.reduce((s, y) => s + y, 0);
  const p =
    ((weights?.[1] ?? 1) * positives) /
    ((weights?.[1] ?? 1) * positives + (weights?.[0] ?? 1) * (labels.length - positives));
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

export async function trainModel(set: TrainingSet, options: TrainOptions): Promise<TrainedModel> {
  const kind = options.kind;
  const o = {
    kind,
    seed: options.seed,
    split: options.split,
    testFraction: options.testFraction ?? 0.2,
    validationFraction: options.validationFraction ?? 0.15,
    epochs: options.epochs ?? 60,
    batchSize: options.batchSize ?? autoBatchSize(set.labels.length),
    learningRate:
      options.learningRate ??
      defaultLearningRate(kind, options.batchSize ?? autoBatchSize(set.labels.length)),
    patience: options.patience ?? 6,
    classWeight: options.classWeight ?? "none",
    hidden: options.hidden,
    l2: options.l2,
    ...(options.ensemble !== undefined && options.ensemble > 1 ? { ensemble: options.ensemble } : {}),
  };
  const members = kind === "mlp" ? (o.ensemble ?? 1) : 1;
  const backend = await selectBackend(options.backend);
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

  const weights = classWeights(trainX.labels, o.classWeight);
  const trainMember = async (seed: number) => {
    const net = buildNetwork({
      kind,
      inputWidth: trainX.width,
      seed,
      outputBias: priorLogit(trainX.labels, weights),
      ...(o.hidden ? { hidden: o.hidden } : {}),
      ...(o.l2 !== undefined ? { l2: o.l2 } : {}),
    });
    const result = await fitNetwork(net, trainX, valX, {
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      patience: o.patience,
      l2: o.l2 ?? defaultL2(kind),
      seed,
      ...(weights ? { classWeight: weights } : {}),
      ...(options.onEpoch ? { onEpoch: (log: EpochLog) => options.onEpoch!(log, o.epochs) } : {}),
    });
    return { net, result };
  };
  const first = await trainMember(o.seed);
  let network = first.net;
  let fit = first.result;
  if (members > 1) {
    const all = [first];
    for (let k = 1; k < members; k++) all.push(await trainMember(memberSeed(o.seed, k)));
    const merged = mergeEnsemble(all.map((m) => denseLayers(m.net)));
    network = buildNetwork({ kind, inputWidth: trainX.width, seed: o.seed, hidden: merged.hidden });
    setDenseLayers(network, merged.layers);
    for (const m of all) m.net.dispose();
    // One history (the first member's) for the report; the time is the whole ensemble's.
    fit = { ...fit, seconds: all.reduce((s, m) => s + m.result.seconds, 0) };
  }

  let layers = zeroUnusedInputs(denseLayers(network), trainX);
  let platt: Platt | undefined;
  if (weights) {
    setDenseLayers(network, layers);
    platt = fitPlatt(predictProbabilities(network, valX), valX.labels);
    layers = [...layers.slice(0, -1), foldPlatt(layers[layers.length - 1]!, platt)];
  }
  setDenseLayers(network, layers);
  const testProbabilities = predictProbabilities(network, testX);
  return {
    network,
    layers,
    inputs,
    split,
    test: testX,
    testProbabilities,
    evaluation: evaluate(testProbabilities, testX.labels),
    ...(testX.truth && truthKnown ? { truthEvaluation: evaluate(testX.truth, testX.labels) } : {}),
    fit,
    ...(platt ? { platt } : {}),
    backend,
    options: o,
    rows: { train: inner.train.length, validation: inner.test.length, test: split.test.length },
  };
}
