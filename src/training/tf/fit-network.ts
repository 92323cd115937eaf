/**
 * The training loop: one seeded shuffle per epoch, mini-batch Adam with optional class weights,
 * validation log loss and AUC after every epoch, early stopping that restores the best epoch's
 * weights. tfjs's own `shuffle: true` draws from Math.random, so the loop shuffles the rows itself
 * and fits each epoch unshuffled: the same seed then gives the same weights.
 */
import * as tf from "@tensorflow/tfjs";
import { createRandom } from "../../random/seeded-random.js";
import { rocAuc } from "../metrics/roc-auc.js";
import type { Matrix } from "../prep/encode-table.js";
import { permutation } from "../split.js";
import { predictProbabilities } from "./predict.js";

export interface LabelledMatrix extends Matrix {
  readonly labels: Uint8Array;
}

export interface FitOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Epochs without a better validation loss before stopping. */
  readonly patience: number;
  /** Loss weight of negatives (0) and positives (1); undefined = unweighted. */
  readonly classWeight?: { readonly 0: number; readonly 1: number };
  readonly seed: number;
  readonly onEpoch?: (log: EpochLog) => void;
}

export interface EpochLog {
  readonly epoch: number;
  /** Training loss (class-weighted, plus the L2 penalty) as tfjs reports it. */
  readonly loss: number;
  /** Validation log loss with the same class weights (what early stopping watches). */
  readonly valLoss: number;
  readonly valAuc: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly history: readonly EpochLog[];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly seconds: number;
}

function weightedLogLoss(p: Float32Array, y: Uint8Array, w: { 0: number; 1: number }): number {
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]!));
    const wi = y[i] === 1 ? w[1] : w[0];
    sum -= wi * (y[i] === 1 ? Math.log(q) : Math.log(1 - q));
    weight += wi;
  }
  return sum / weight;
}

function shuffled(train: LabelledMatrix, order: Uint32Array): { x: Float32Array; y: Float32Array } {
  const { width } = train;
  const x = new Float32Array(order.length * width);
  const y = new Float32Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const r = order[i]!;
    x.set(train.data.subarray(r * width, (r + 1) * width), i * width);
    y[i] = train.labels[r]!;
  }
  return { x, y };
}

export async function fitNetwork(
  model: tf.Sequential,
  train: LabelledMatrix,
  val: LabelledMatrix,
  options: FitOptions,
): Promise<FitResult> {
  const started = performance.now();
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: "binaryCrossentropy" });
  const random = createRandom(options.seed).fork("epoch-shuffle");
  const weights = options.classWeight ?? { 0: 1, 1: 1 };
  const history: EpochLog[] = [];
  let best = Number.POSITIVE_INFINITY;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] | undefined;
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    const t0 = performance.now();
    const { x, y } = shuffled(train, permutation(train.rows, random));
    const xs = tf.tensor2d(x, [train.rows, train.width]);
    const ys = tf.tensor2d(y, [train.rows, 1]);
    const fit = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: options.batchSize,
      shuffle: false,
      verbose: 0,
      ...(options.classWeight ? { classWeight: { 0: weights[0], 1: weights[1] } } : {}),
    });
    xs.dispose();
    ys.dispose();
    const p = predictProbabilities(model, val);
    const log: EpochLog = {
      epoch,
      loss: Number(fit.history.loss?.[0] ?? Number.NaN),
      valLoss: weightedLogLoss(p, val.labels, weights),
      valAuc: rocAuc(p, val.labels),
      seconds: (performance.now() - t0) / 1000,
    };
    history.push(log);
    options.onEpoch?.(log);
    if (log.valLoss < best - 1e-6) {
      best = log.valLoss;
      bestEpoch = epoch;
      for (const w of bestWeights ?? []) w.dispose();
      bestWeights = model.getWeights().map((w) => w.clone());
    } else if (epoch - bestEpoch >= options.patience) {
      stoppedEarly = true;
      break;
    }
  }
  if (bestWeights) {
    model.setWeights(bestWeights);
    for (const w of bestWeights) w.dispose();
  }
  return { history, bestEpoch, stoppedEarly, seconds: (performance.now() - started) / 1000 };
}
