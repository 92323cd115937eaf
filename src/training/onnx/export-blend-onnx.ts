/**
 * Writes a blend (gradient-boosted trees + a network) as ONE ONNX graph: the TreeEnsembleRegressor's
 * raw margin and the network's logit (its Gemm/Relu chain up to the last Gemm, after the interaction
 * columns when it reads them) both read `input`, each
 * is multiplied by its weight (Mul with a float32 constant [1]), the two are added and one Sigmoid
 * gives `probability` [N, 1]: sigmoid(w·margin + (1 − w)·logit). Same input and output as every
 * other kind, so the service loads and scores it unchanged. Opsets as the tree graph ("" 13 for
 * Gemm, Relu, Mul, Add, Sigmoid; ai.onnx.ml 3 for the trees), IR 8.
 */
import type { BlendModel } from "../pipeline/blend-model.js";
import { blendFactors } from "../pipeline/blend-model.js";
import { encodeSigmoidModel, networkLogitPart, type OnnxExportOptions, scalarTensor } from "./export-onnx.js";
import { TREE_IR_VERSION, TREE_OPSETS, treeMarginPart } from "./export-tree-onnx.js";

export function exportBlendOnnx(model: BlendModel, options: OnnxExportOptions = {}): Uint8Array {
  const trees = treeMarginPart(model.trees.ensemble);
  const network = networkLogitPart(model.network.layers, model.network.interactions);
  const factors = blendFactors(model.treeWeight);
  return encodeSigmoidModel(
    {
      nodes: [
        ...trees.nodes,
        ...network.nodes,
        { opType: "Mul", name: "TreeWeight", input: [trees.output, "w_trees"], output: ["margin_w"] },
        { opType: "Mul", name: "NetworkWeight", input: [network.output, "w_network"], output: ["logit_w"] },
        { opType: "Add", name: "Blend", input: ["margin_w", "logit_w"], output: ["blend_logit"] },
      ],
      initializer: [
        ...trees.initializer,
        ...network.initializer,
        scalarTensor("w_trees", factors.trees),
        scalarTensor("w_network", factors.network),
      ],
      output: "blend_logit",
    },
    "Sigmoid",
    { irVersion: TREE_IR_VERSION, opsetImport: TREE_OPSETS, width: model.trees.ensemble.width },
    options,
  );
}
