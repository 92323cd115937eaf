/**
 * A blend: gradient-boosted trees and an MLP fitted on the same encoded rows (same split, same
 * seed), scored as sigmoid(w·treeMargin + (1 − w)·mlpLogit). The trees' weight w is chosen from
 * BLEND_TREE_WEIGHTS by log loss on the validation rows (the early-stopping rows both parts already
 * use), never on the test rows. Exported as one ONNX graph (onnx/export-blend-onnx.ts).
 */

import type { GbdtParams } from "../gbdt/params.js";
import { predictMargins, sigmoid } from "../gbdt/predict.js";
import { logLoss } from "../metrics/probability-scores.js";
import type { Matrix } from "../prep/encode-table.js";
import type { EpochLog, FitResult, LabelledMatrix } from "../tf/fit-network.js";
import { predictLogits } from "../tf/predict.js";
import { fitNetworkModel, type NetworkModel, type NetworkSettings, networkRows } from "./network-model.js";
import { fitTreeModel, type TreeModel } from "./tree-model.js";

/** Candidate weights of the trees' margin (the MLP's logit gets 1 − w). */
export const BLEND_TREE_WEIGHTS: readonly number[] = [0.3, 0.4, 0.5, 0.6, 0.7];

export interface BlendModel {
  readonly type: "blend";
  readonly trees: TreeModel;
  readonly network: NetworkModel;
  /** w, the weight of the trees' margin, one of BLEND_TREE_WEIGHTS. */
  readonly treeWeight: number;
  /** Validation log loss of each candidate weight, in BLEND_TREE_WEIGHTS order. */
  readonly validation: readonly { readonly treeWeight: number; readonly logLoss: number }[];
  /** Each part's own fit (history, best round or epoch, seconds). */
  readonly fits: { readonly trees: FitResult; readonly network: FitResult };
}

/** The factors as the graph stores them (float32 constants), so the trainer multiplies by the same numbers. */
export const blendFactors = (treeWeight: number): { trees: number; network: number } => ({
  trees: Math.fround(treeWeight),
  network: Math.fround(1 - treeWeight),
});

/** sigmoid(w·margin + (1 − w)·logit) per row. */
export function blendProbabilities(
  treeMargins: ArrayLike<number>,
  networkLogits: ArrayLike<number>,
  treeWeight: number,
): Float32Array {
  const f = blendFactors(treeWeight);
  const out = new Float32Array(treeMargins.length);
  for (let i = 0; i < out.length; i++)
    out[i] = sigmoid(f.trees * treeMargins[i]! + f.network * networkLogits[i]!);
  return out;
}

/** The two parts' raw outputs for `x`: the trees' margin and the MLP's logit (tfjs, float32). */
export function blendParts(
  model: Pick<BlendModel, "trees" | "network">,
  x: Matrix,
): { treeMargins: Float64Array; networkLogits: Float32Array } {
  return {
    treeMargins: predictMargins(model.trees.ensemble, x),
    networkLogits: predictLogits(model.network.network, networkRows(model.network, x)),
  };
}

export function predictBlend(model: BlendModel, x: Matrix): Float32Array {
  const { treeMargins, networkLogits } = blendParts(model, x);
  return blendProbabilities(treeMargins, networkLogits, model.treeWeight);
}

/** The candidate with the lowest validation log loss (the first of equals). */
export function chooseTreeWeight(
  treeMargins: ArrayLike<number>,
  networkLogits: ArrayLike<number>,
  labels: Uint8Array,
  candidates: readonly number[] = BLEND_TREE_WEIGHTS,
): { treeWeight: number; validation: { treeWeight: number; logLoss: number }[] } {
  const validation = candidates.map((treeWeight) => ({
    treeWeight,
    logLoss: logLoss(blendProbabilities(treeMargins, networkLogits, treeWeight), labels),
  }));
  const best = validation.reduce((a, b) => (b.logLoss < a.logLoss ? b : a));
  return { treeWeight: best.treeWeight, validation };
}

export async function fitBlendModel(
  trainX: LabelledMatrix,
  valX: LabelledMatrix,
  network: NetworkSettings,
  gbdt: GbdtParams,
  progress: { onRound?: (log: EpochLog) => void; onEpoch?: (log: EpochLog) => void } = {},
): Promise<{ model: BlendModel; fit: FitResult }> {
  const trees = await fitTreeModel(trainX, valX, gbdt, network.seed, progress.onRound);
  const net = await fitNetworkModel(trainX, valX, network, progress.onEpoch);
  const parts = { trees: trees.model, network: net.model };
  const v = blendParts(parts, valX);
  const { treeWeight, validation } = chooseTreeWeight(v.treeMargins, v.networkLogits, valX.labels);
  return {
    model: { type: "blend", ...parts, treeWeight, validation, fits: { trees: trees.fit, network: net.fit } },
    // The report's curve is the MLP's (epochs); the time is both parts'.
    fit: { ...net.fit, seconds: trees.fit.seconds + net.fit.seconds },
  };
}
