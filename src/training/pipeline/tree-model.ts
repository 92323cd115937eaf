/**
 * Fits gradient-boosted trees on the same encoded rows the networks get. Trees only compare a
 * column with thresholds, and standardising or one-hot encoding is monotone per column, so they
 * lose nothing by reading the encoded matrix: the metadata (inputs, means, scales, vocabularies),
 * the shared encoder and the ONNX input [N, F] stay exactly as for the networks.
 */
import { fitGbdt } from "../gbdt/boost.js";
import type { GbdtParams } from "../gbdt/params.js";
import type { TreeEnsemble } from "../gbdt/predict.js";
import type { EpochLog, FitResult, LabelledMatrix } from "../tf/fit-network.js";

export interface TreeModel {
  readonly type: "trees";
  readonly ensemble: TreeEnsemble;
}

export async function fitTreeModel(
  trainX: LabelledMatrix,
  valX: LabelledMatrix,
  params: GbdtParams,
  seed: number,
  onRound?: (log: EpochLog) => void,
): Promise<{ model: TreeModel; fit: FitResult }> {
  const { ensemble, fit } = await fitGbdt(trainX, valX, params, seed, onRound);
  return { model: { type: "trees", ensemble }, fit };
}
