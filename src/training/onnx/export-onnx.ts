/**
 * Writes a dense network as an ONNX model with onnx-proto: one Gemm per dense layer (Y = X·W + b,
 * W stored [inputs, units] so no transpose), Relu between layers, Sigmoid at the end. Opset 13,
 * float input `input` [N, F], output `probability` [N, 1]; weights as raw little-endian float32,
 * which is exactly what tfjs trained, so ONNX and tfjs scores agree to float rounding.
 */
import onnxProto from "onnx-proto";
import type { InteractionPlan } from "../prep/interactions.js";
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

/** An int64 tensor (indices, axes and shapes of Gather, Unsqueeze and Reshape). */
function int64Tensor(name: string, values: readonly number[]): onnxProto.onnx.ITensorProto {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
  return { name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: bytes };
}

const intAttribute = (name: string, i: number): onnxProto.onnx.IAttributeProto => ({
  name,
  type: onnx.AttributeProto.AttributeType.INT,
  i,
});

/**
 * `input` [N, F] with the per-value interaction columns appended (prep/interactions.ts), as
 * `input_x` [N, F + A·K]: Gather the one-hot block of `by` [N, A] and the copied columns [N, K],
 * their outer product [N, A, K] by broadcasting Mul, flattened and concatenated after the input.
 * A one-hot is exactly 0 or 1, so each product is the copied value or zero, as in the trainer.
 */
export function interactionPart(plan: InteractionPlan): GraphPart {
  const by = Array.from({ length: plan.byValues }, (_, k) => plan.byStart + k);
  return {
    nodes: [
      {
        opType: "Gather",
        name: "ByOneHot",
        input: [ONNX_INPUT, "x_by"],
        output: ["by_onehot"],
        attribute: [intAttribute("axis", 1)],
      },
      {
        opType: "Gather",
        name: "Copied",
        input: [ONNX_INPUT, "x_copied"],
        output: ["copied"],
        attribute: [intAttribute("axis", 1)],
      },
      { opType: "Unsqueeze", name: "ByColumn", input: ["by_onehot", "x_axis2"], output: ["by_3d"] },
      { opType: "Unsqueeze", name: "CopiedRow", input: ["copied", "x_axis1"], output: ["copied_3d"] },
      { opType: "Mul", name: "Interactions", input: ["by_3d", "copied_3d"], output: ["products"] },
      { opType: "Reshape", name: "Flatten", input: ["products", "x_flat"], output: ["products_2d"] },
      {
        opType: "Concat",
        name: "Expand",
        input: [ONNX_INPUT, "products_2d"],
        output: ["input_x"],
        attribute: [intAttribute("axis", 1)],
      },
    ],
    initializer: [
      int64Tensor("x_by", by),
      int64Tensor("x_copied", plan.copied),
      int64Tensor("x_axis2", [2]),
      int64Tensor("x_axis1", [1]),
      int64Tensor("x_flat", [0, plan.byValues * plan.copied.length]),
    ],
    output: "input_x",
  };
}

/**
 * The dense layers as Gemm (+ Relu between layers) reading `from` (default `input`), up to the last
 * layer's Gemm: the output is the network's logit `[N, 1]`, before its sigmoid.
 */
export function denseLogitPart(layers: readonly DenseLayer[], from: string = ONNX_INPUT): GraphPart {
  if (layers.length === 0) throw new RangeError("a model needs at least one layer");
  const last = layers[layers.length - 1]!;
  if (last.units !== 1 || last.activation !== "sigmoid")
    throw new RangeError("the last layer must be one sigmoid unit");
  const nodes: onnxProto.onnx.INodeProto[] = [];
  const initializer: onnxProto.onnx.ITensorProto[] = [];
  let current = from;
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

/** The network's logit from `input`: the interaction columns first when it reads them. */
export function networkLogitPart(layers: readonly DenseLayer[], interactions?: InteractionPlan): GraphPart {
  if (!interactions) return denseLogitPart(layers);
  const expand = interactionPart(interactions);
  const dense = denseLogitPart(layers, expand.output);
  return {
    nodes: [...expand.nodes, ...dense.nodes],
    initializer: [...expand.initializer, ...dense.initializer],
    output: dense.output,
  };
}

/**
 * The serialised model; `layers` in order, the last one the sigmoid output unit; `interactions`
 * when the network reads per-value interaction columns built from the input.
 */
export function exportOnnx(
  layers: readonly DenseLayer[],
  options: OnnxExportOptions = {},
  interactions?: InteractionPlan,
): Uint8Array {
  return encodeSigmoidModel(
    networkLogitPart(layers, interactions),
    `Act${layers.length - 1}`,
    {
      irVersion: 7,
      opsetImport: [{ domain: "", version: ONNX_OPSET }],
      width: interactions?.width ?? layers[0]!.inputs,
    },
    options,
  );
}
