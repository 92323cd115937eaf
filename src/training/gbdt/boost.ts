/**
 * Gradient boosting for binary log loss: start every row at the prior log-odds, then each round fit
 * one tree to the loss's gradient and hessian at the current margins (a Newton step per leaf) on a
 * seeded sample of rows and columns, and add it shrunk by the learning rate. The validation rows'
 * log loss after every round decides when to stop; the trees after the best round are dropped.
 */
import { createRandom, type Random } from "../../random/seeded-random.js";
import { logLoss } from "../metrics/probability-scores.js";
import { rocAuc } from "../metrics/roc-auc.js";
import type { EpochLog, FitResult, LabelledMatrix } from "../tf/fit-network.js";
import { type BinnedMatrix, binMatrix } from "./binned-matrix.js";
import type { GbdtParams } from "./params.js";
import { addTree, sigmoid, type TreeEnsemble } from "./predict.js";
import { createWorkspace, growTree, type Tree } from "./tree.js";

/** Log-odds of the positive rate, float32 (it is the graph's base value), kept off ±infinity. */
export function priorMargin(labels: Uint8Array): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const p = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, labels.length)));
  return Math.fround(Math.log(p / (1 - p)));
}

/**
 * Log loss's derivatives in the margin z for label y: gradient p − y and hessian p (1 − p), with
 * p = sigmoid(z). The hessian is floored so a leaf of confident rows cannot divide by zero.
 */
export function logLossDerivatives(
  margins: Float64Array,
  labels: Uint8Array,
  grad: Float64Array,
  hess: Float64Array,
): void {
  for (let i = 0; i < margins.length; i++) {
    const p = sigmoid(margins[i]!);
    grad[i] = p - labels[i]!;
    hess[i] = Math.max(p * (1 - p), 1e-16);
  }
}

/** The rows of this round: each kept with probability `rate` (all when rate is 1), ascending. */
function sampleRows(rows: number, rate: number, random: Random, out: Uint32Array): number {
  let n = 0;
  for (let r = 0; r < rows; r++) if (rate >= 1 || random.next() < rate) out[n++] = r;
  return n;
}

/** A seeded `rate` share (at least one) of the columns worth splitting on, ascending. */
function sampleColumns(usable: Int32Array, rate: number, random: Random): Int32Array {
  if (rate >= 1) return usable;
  const k = Math.max(1, Math.round(rate * usable.length));
  const pool = Int32Array.from(usable);
  for (let i = 0; i < k; i++) {
    const j = i + random.int(pool.length - i);
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.subarray(0, k).sort();
}

/** Walks `tree` on the training rows' bins (the same decisions as the float thresholds). */
function addTreeBinned(margins: Float64Array, tree: Tree, m: BinnedMatrix): void {
  const { bins, rows } = m;
  for (let r = 0; r < rows; r++) {
    let node = 0;
    let f = tree.feature[0]!;
    while (f >= 0) {
      node = bins[f * rows + r]! <= tree.bin[node]! ? tree.left[node]! : tree.right[node]!;
      f = tree.feature[node]!;
    }
    margins[r]! += tree.value[node]!;
  }
}

export interface BoostResult {
  readonly ensemble: TreeEnsemble;
  readonly fit: FitResult;
}

export async function fitGbdt(
  train: LabelledMatrix,
  val: LabelledMatrix,
  params: GbdtParams,
  seed: number,
  onRound?: (log: EpochLog) => void,
): Promise<BoostResult> {
  const started = performance.now();
  const m = binMatrix(train, params.maxBins);
  // A column with one bin can never split.
  const usable = Int32Array.from(
    Array.from({ length: m.width }, (_, f) => f).filter((f) => m.bounds[f]!.length > 0),
  );
  const base = priorMargin(train.labels);
  const margins = new Float64Array(m.rows).fill(base);
  const valMargins = new Float64Array(val.rows).fill(base);
  const grad = new Float64Array(m.rows);
  const hess = new Float64Array(m.rows);
  const rows = new Uint32Array(m.rows);
  const work = createWorkspace(m);
  const root = createRandom(seed);
  const rowRandom = root.fork("gbdt-rows");
  const columnRandom = root.fork("gbdt-columns");
  const trees: Tree[] = [];
  const history: EpochLog[] = [];
  const valP = new Float64Array(val.rows);
  let best = Number.POSITIVE_INFINITY;
  let bestRound = 0;
  let stoppedEarly = false;
  let t0 = performance.now();
  const probabilities = (z: Float64Array, out: Float64Array) => {
    for (let i = 0; i < z.length; i++) out[i] = sigmoid(z[i]!);
    return out;
  };
  for (let round = 1; round <= params.trees; round++) {
    logLossDerivatives(margins, train.labels, grad, hess);
    const n = sampleRows(m.rows, params.subsample, rowRandom, rows);
    const features = sampleColumns(usable, params.colsample, columnRandom);
    const tree = growTree(m, rows, n, grad, hess, features, params, work);
    trees.push(tree);
    addTreeBinned(margins, tree, m);
    addTree(valMargins, tree, val);
    const valLoss = logLoss(probabilities(valMargins, valP), val.labels);
    if (valLoss < best - 1e-9) {
      best = valLoss;
      bestRound = round;
    } else if (round - bestRound >= params.patience) stoppedEarly = true;
    if (round % params.reportEvery === 0 || stoppedEarly || round === params.trees) {
      const log: EpochLog = {
        epoch: round,
        loss: logLoss(probabilities(margins, new Float64Array(m.rows)), train.labels),
        valLoss,
        valAuc: rocAuc(valP, val.labels),
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(log);
      onRound?.(log);
      t0 = performance.now();
      // Let timers (the progress bar) run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stoppedEarly) break;
  }
  const kept = trees.slice(0, bestRound);
  const importance = new Float64Array(m.width);
  for (const tree of kept)
    for (let i = 0; i < tree.feature.length; i++)
      if (tree.feature[i]! >= 0) importance[tree.feature[i]!]! += tree.gain[i]!;
  return {
    ensemble: { width: m.width, base, trees: kept, importance },
    fit: { history, bestEpoch: bestRound, stoppedEarly, seconds: (performance.now() - started) / 1000 },
  };
}
