/**
 * Writes a dense network as an ONNX model with onnx-proto: one Gemm per dense layer (Y = X·W + b,
 * W stored [inputs, units] so no transpose), Relu between layers, Sigmoid at the end. Opset 13,
 * float input `input` [N, F], output `probability` [N, 1]; weights as raw little-endian float32,
 * which is exactly what tfjs trained, so ONNX and tfjs scores agree to float rounding.
 */
import onnxProto from "onnx-proto";
import type { DenseLayer } from "../tf/build-network.js";

const { onnx } = onnxProto;

export const ONNX_INPUT = "input";
export const ONNX_OUTPUT = "probability";
export const ONNX_OPSET = 13;

function floatTensor(name: string, dims: number[], values: Float32Array): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: bytes };
}

/** A float tensor [N, width] with a dynamic N (the graph's input and output). */
export function valueInfo(name: string, width: number): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: "N" }, { dimValue: width }] },
      },
    },
  };
}

export interface OnnxExportOptions {
  /** Recorded in the model's doc string, e.g. `churn mlp`. */
  readonly description?: string;
}

/** The nodes and initializers of a graph, and the tensor its last node writes. */
export interface GraphPart {
  readonly nodes: onnxProto.onnx.INodeProto[];
  readonly initializer: onnxProto.onnx.ITensorProto[];
  /** Name of the part's output tensor. */
  readonly output: string;
}

/** A float32 tensor `[1]` holding `value` (a constant for Mul/Add nodes). */
export const scalarTensor = (name: string, value: number): onnxProto.onnx.ITensorProto =>
  floatTensor(name, [1], Float32Array.of(value));

/**
 * The dense layers as Gemm (+ Relu between layers) reading `input`, up to the last layer's Gemm:
 * the output is the network's logit `[N, 1]`, before its sigmoid.
 */
export function denseLogitPart(layers: readonly DenseLayer[]): GraphPart {
  if (layers.length === 0) throw new RangeError("a model needs at least one layer");
  const last = layers[layers.length - 1]!;
  if (last.units !== 1 || last.activation !== "sigmoid")
    throw new RangeError("the last layer must be one sigmoid unit");
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializer: onnxProto.onnx.ITensorProto[] = [];
  let current = ONNX_INPUT;
  layers.forEach((layer, i) => {
    initializer.push(floatTensor(`W${i}`, [layer.inputs, layer.units], layer.kernel));
    initializer.push(floatTensor(`B${i}`, [layer.units], layer.bias));
    const linear = `gemm${i}`;
    nodes.push({ opType: "Gemm", name: `Gemm${i}`, input: [current, `W${i}`, `B${i}`], output: [linear] });
    current = linear;
    if (i === layers.length - 1) return;
    nodes.push({ opType: "Relu", name: `Act${i}`, input: [linear], output: [`relu${i}`] });
    current = `relu${i}`;
  });
  return { nodes, initializer, output: current };
}

export interface GraphSettings {
  readonly irVersion: number;
  readonly opsetImport: onnxProto.onnx.IOperatorSetIdProto[];
  /** Columns of the input `input` [N, F]. */
  readonly width: number;
}

/**
 * The serialised model: `part` then one Sigmoid node (named `sigmoidName`) from its logit to
 * `probability` [N, 1]; input `input` float [N, F]. Every exporter ends this way, so the service
 * loads any kind unchanged.
 */
export function encodeSigmoidModel(
  part: GraphPart,
  sigmoidName: string,
  settings: GraphSettings,
  options: OnnxExportOptions = {},
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: settings.irVersion,
    opsetImport: settings.opsetImport,
    producerName: "next-best-action",
    producerVersion: "1",
    docString: options.description ?? "",
    graph: {
      name: "model",
      node: [
        ...part.nodes,
        { opType: "Sigmoid", name: sigmoidName, input: [part.output], output: [ONNX_OUTPUT] },
      ],
      ...(part.initializer.length > 0 ? { initializer: part.initializer } : {}),
      input: [valueInfo(ONNX_INPUT, settings.width)],
      output: [valueInfo(ONNX_OUTPUT, 1)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** The serialised model; `layers` in order, the last one the sigmoid output unit. */
export function exportOnnx(layers: readonly DenseLayer[], options: OnnxExportOptions = {}): Uint8Array {
  return encodeSigmoidModel(
    denseLogitPart(layers),
    `Act${layers.length - 1}`,
    { irVersion: 7, opsetImport: [{ domain: "", version: ONNX_OPSET }], width: layers[0]!.inputs },
    options,
  );
}
