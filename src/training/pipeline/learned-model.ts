/** What training produces, whatever the kind: a tfjs network or a tree ensemble, and how each scores. */

import { predictTreeProbabilities } from "../gbdt/predict.js";
import type { Matrix } from "../prep/encode-table.js";
import { predictProbabilities } from "../tf/predict.js";
import type { NetworkModel } from "./network-model.js";
import type { TreeModel } from "./tree-model.js";

export type LearnedModel = NetworkModel | TreeModel;

/** P(positive) for each row of `x`, computed in the trainer (what the ONNX graph must reproduce). */
export function predictLearned(model: LearnedModel, x: Matrix): Float32Array {
  return model.type === "network"
    ? predictProbabilities(model.network, x)
    : predictTreeProbabilities(model.ensemble, x);
}
