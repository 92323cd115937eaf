/**
 * What training produces, whatever the kind: a tfjs network, a tree ensemble, or a blend of both,
 * and how each scores.
 */

import { predictTreeProbabilities } from "../gbdt/predict.js";
import type { Matrix } from "../prep/encode-table.js";
import { predictProbabilities } from "../tf/predict.js";
import { type BlendModel, predictBlend } from "./blend-model.js";
import { type NetworkModel, networkRows } from "./network-model.js";
import type { TreeModel } from "./tree-model.js";

export type LearnedModel = NetworkModel | TreeModel | BlendModel;

/** P(positive) for each row of `x`, computed in the trainer (what the ONNX graph must reproduce). */
export function predictLearned(model: LearnedModel, x: Matrix): Float32Array {
  switch (model.type) {
    case "network":
      return predictProbabilities(model.network, networkRows(model, x));
    case "trees":
      return predictTreeProbabilities(model.ensemble, x);
    case "blend":
      return predictBlend(model, x);
  }
}

/** The trees of a model, if it has any (gbdt, or a blend's tree part). */
export const treePart = (model: LearnedModel): TreeModel | undefined =>
  model.type === "trees" ? model : model.type === "blend" ? model.trees : undefined;

/** The network of a model, if it has one (logistic, mlp, or a blend's network part). */
export const networkPart = (model: LearnedModel): NetworkModel | undefined =>
  model.type === "network" ? model : model.type === "blend" ? model.network : undefined;
