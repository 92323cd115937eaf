/** The ONNX graph of a trained model of any kind: Gemm layers for a network, a tree ensemble for gbdt. */
import type { LearnedModel } from "../pipeline/learned-model.js";
import { exportOnnx, type OnnxExportOptions } from "./export-onnx.js";
import { exportTreeOnnx } from "./export-tree-onnx.js";

export function exportModel(model: LearnedModel, options: OnnxExportOptions = {}): Uint8Array {
  return model.type === "network"
    ? exportOnnx(model.layers, options)
    : exportTreeOnnx(model.ensemble, options);
}
