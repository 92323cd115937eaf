/**
 * The two model kinds as tfjs networks: logistic regression (one dense sigmoid unit) and a small
 * MLP (dense ReLU layers, then a sigmoid unit). Every initializer takes a seed derived from the
 * training seed, so the same seed starts from the same weights. Only dense layers: each maps to
 * one ONNX Gemm, which keeps the export exact.
 */
import * as tf from "@tensorflow/tfjs";
import type { NetworkKind } from "../model-kind.js";

export interface NetworkOptions {
  readonly kind: NetworkKind;
  readonly inputWidth: number;
  readonly seed: number;
  /** Hidden layer sizes of the MLP (default [64, 32]). */
  readonly hidden?: readonly number[];
  /** L2 penalty on kernels (default 1e-4 logistic, 1e-5 mlp). */
  readonly l2?: number;
  /**
   * Initial bias of the output unit, best the log-odds of the (weighted) positive rate: the model
   * then starts at the base rate and spends its epochs on ranking, not on finding the intercept.
   */
  readonly outputBias?: number;
}

export const DEFAULT_HIDDEN: readonly number[] = [64, 32];

/** L2 penalty on kernels when none is given: 1e-4 for logistic regression, 1e-5 for the MLP. */
export const defaultL2 = (kind: NetworkKind): number => (kind === "mlp" ? 1e-5 : 1e-4);

export function buildNetwork(options: NetworkOptions): tf.Sequential {
  const { kind, inputWidth, seed } = options;
  const hidden = kind === "mlp" ? (options.hidden ?? DEFAULT_HIDDEN) : [];
  const l2 = options.l2 ?? defaultL2(kind);
  const regularizer = l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined;
  const model = tf.sequential();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        units,
        activation: "relu",
        ...(i === 0 ? { inputShape: [inputWidth] } : {}),
        kernelInitializer: tf.initializers.heNormal({ seed: seed + i }),
        biasInitializer: "zeros",
        ...(regularizer ? { kernelRegularizer: regularizer } : {}),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: 1,
      activation: "sigmoid",
      ...(hidden.length === 0 ? { inputShape: [inputWidth] } : {}),
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + hidden.length }),
      biasInitializer: tf.initializers.constant({ value: options.outputBias ?? 0 }),
      ...(regularizer ? { kernelRegularizer: regularizer } : {}),
    }),
  );
  return model;
}

/** A dense layer's parameters, plain arrays: what ONNX export and calibration work on. */
export interface DenseLayer {
  /** inputs x units, row-major. */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly inputs: number;
  readonly units: number;
  readonly activation: "relu" | "sigmoid";
}

export function denseLayers(model: tf.Sequential): DenseLayer[] {
  return model.layers.map((layer, i) => {
    const [kernel, bias] = layer.getWeights();
    const [inputs, units] = kernel!.shape as [number, number];
    return {
      // Copies: dataSync may hand back the backend's own buffer.
      kernel: Float32Array.from(kernel!.dataSync()),
      bias: Float32Array.from(bias!.dataSync()),
      inputs,
      units,
      activation: i === model.layers.length - 1 ? "sigmoid" : "relu",
    };
  });
}

/** Writes plain-array parameters back into the network (after calibration or column zeroing). */
export function setDenseLayers(model: tf.Sequential, layers: readonly DenseLayer[]): void {
  model.layers.forEach((layer, i) => {
    const l = layers[i]!;
    const kernel = tf.tensor2d(l.kernel, [l.inputs, l.units]);
    const bias = tf.tensor1d(l.bias);
    layer.setWeights([kernel, bias]);
    kernel.dispose();
    bias.dispose();
  });
}
