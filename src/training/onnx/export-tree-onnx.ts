/**
 * Writes a tree ensemble as an ONNX model: `ai.onnx.ml` TreeEnsembleRegressor (raw margin: leaf
 * values summed onto base_values, aggregate SUM, post_transform NONE) then a standard Sigmoid, so
 * the graph has the dense networks' signature (input `input` float [N, F], output `probability`
 * [N, 1]) and the service loads it unchanged.
 *
 * Splits are BRANCH_LEQ (x <= threshold takes the true branch) with float32 thresholds, the rule the
 * trainer used, and missing-value tracking off on every node (NaN takes the false branch, as
 * `NaN <= t` is false in the trainer too; the encoder never produces NaN anyway).
 *
 * Opsets: "" 13 (Sigmoid, as the dense graphs) and ai.onnx.ml 3 with IR 8 (ONNX 1.10). onnxruntime-node
 * 1.30 runs TreeEnsembleRegressor under ai.onnx.ml 1 to 4 and refuses it under 5, where the spec
 * replaced it with TreeEnsemble (and refuses ml opset 6 altogether); 3 is what converters such as
 * onnxmltools emit, so other runtimes read the file too.
 */
import onnxProto from "onnx-proto";
import type { TreeEnsemble } from "../gbdt/predict.js";
import {
  encodeSigmoidModel,
  type GraphPart,
  ONNX_INPUT,
  ONNX_OPSET,
  type OnnxExportOptions,
} from "./export-onnx.js";

const { onnx } = onnxProto;
const A = onnx.AttributeProto.AttributeType;

export const ONNX_ML_DOMAIN = "ai.onnx.ml";
export const ONNX_ML_OPSET = 3;
/** IR 8: ONNX 1.10, the first with ai.onnx.ml opset 3. */
export const TREE_IR_VERSION = 8;

const ints = (name: string, values: number[]): onnxProto.onnx.IAttributeProto => ({
  name,
  type: A.INTS,
  ints: values,
});
const floats = (name: string, values: number[]): onnxProto.onnx.IAttributeProto => ({
  name,
  type: A.FLOATS,
  floats: values,
});
const text = new TextEncoder();
const strings = (name: string, values: string[]): onnxProto.onnx.IAttributeProto => ({
  name,
  type: A.STRINGS,
  strings: values.map((v) => text.encode(v)),
});
const string = (name: string, value: string): onnxProto.onnx.IAttributeProto => ({
  name,
  type: A.STRING,
  s: text.encode(value),
});

/** The TreeEnsembleRegressor's node and leaf attributes, tree by tree, node ids as in the trainer. */
export function treeAttributes(e: TreeEnsemble): onnxProto.onnx.IAttributeProto[] {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const tTree: number[] = [];
  const tNode: number[] = [];
  const tWeight: number[] = [];
  e.trees.forEach((tree, t) => {
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i]! < 0;
      treeIds.push(t);
      nodeIds.push(i);
      featureIds.push(leaf ? 0 : tree.feature[i]!);
      modes.push(leaf ? "LEAF" : "BRANCH_LEQ");
      values.push(leaf ? 0 : tree.threshold[i]!);
      trueIds.push(leaf ? 0 : tree.left[i]!);
      falseIds.push(leaf ? 0 : tree.right[i]!);
      if (leaf) {
        tTree.push(t);
        tNode.push(i);
        tWeight.push(tree.value[i]!);
      }
    }
  });
  // An ensemble that stopped before its first tree still needs one node: a leaf worth 0.
  if (e.trees.length === 0) {
    treeIds.push(0);
    nodeIds.push(0);
    featureIds.push(0);
    modes.push("LEAF");
    values.push(0);
    trueIds.push(0);
    falseIds.push(0);
    tTree.push(0);
    tNode.push(0);
    tWeight.push(0);
  }
  return [
    { name: "n_targets", type: A.INT, i: 1 },
    string("aggregate_function", "SUM"),
    string("post_transform", "NONE"),
    floats("base_values", [e.base]),
    ints("nodes_treeids", treeIds),
    ints("nodes_nodeids", nodeIds),
    ints("nodes_featureids", featureIds),
    strings("nodes_modes", modes),
    floats("nodes_values", values),
    ints("nodes_truenodeids", trueIds),
    ints("nodes_falsenodeids", falseIds),
    ints(
      "nodes_missing_value_tracks_true",
      modes.map(() => 0),
    ),
    ints("target_treeids", tTree),
    ints("target_nodeids", tNode),
    ints(
      "target_ids",
      tTree.map(() => 0),
    ),
    floats("target_weights", tWeight),
  ];
}

/** Opsets of a graph with a tree ensemble: "" 13 (Sigmoid, Mul, Add) and ai.onnx.ml 3. */
export const TREE_OPSETS = [
  { domain: "", version: ONNX_OPSET },
  { domain: ONNX_ML_DOMAIN, version: ONNX_ML_OPSET },
];

/** The TreeEnsembleRegressor reading `input`: its output `margin` [N, 1] is the raw sum, no sigmoid. */
export function treeMarginPart(e: TreeEnsemble): GraphPart {
  return {
    nodes: [
      {
        opType: "TreeEnsembleRegressor",
        domain: ONNX_ML_DOMAIN,
        name: "Trees",
        input: [ONNX_INPUT],
        output: ["margin"],
        attribute: treeAttributes(e),
      },
    ],
    initializer: [],
    output: "margin",
  };
}

export function exportTreeOnnx(e: TreeEnsemble, options: OnnxExportOptions = {}): Uint8Array {
  return encodeSigmoidModel(
    treeMarginPart(e),
    "Sigmoid",
    { irVersion: TREE_IR_VERSION, opsetImport: TREE_OPSETS, width: e.width },
    options,
  );
}
