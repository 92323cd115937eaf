/**
 * The ONNX graph of a trained model of any kind: Gemm layers for a network, a tree ensemble for
 * gbdt, both parts in one graph for a blend.
 */
import type { LearnedModel } from "../pipeline/learned-model.js";
import { exportBlendOnnx } from "./export-blend-onnx.js";
import { exportOnnx, type OnnxExportOptions } from "./export-onnx.js";
import { exportTreeOnnx } from "./export-tree-onnx.js";

export function exportModel(model: LearnedModel, options: OnnxExportOptions = {}): Uint8Array {
  switch (model.type) {
    case "network":
      return exportOnnx(model.layers, options, model.interactions);
    case "trees":
      return exportTreeOnnx(model.ensemble, options);
    case "blend":
      return exportBlendOnnx(model, options);
  }
}
