/**
 * Batched inference with a tfjs network, returning plain probabilities (or the output unit's logit).
 * Batches bound the size of the tensors held at once, and every tensor is disposed, so scoring 400k
 * rows does not grow memory.
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../prep/encode-table.js";

function predictBatched(
  x: Matrix,
  batchRows: number,
  run: (input: tf.Tensor2D, rows: number) => tf.Tensor,
): Float32Array {
  const out = new Float32Array(x.rows);
  for (let from = 0; from < x.rows; from += batchRows) {
    const to = Math.min(x.rows, from + batchRows);
    const p = tf.tidy(() =>
      run(tf.tensor2d(x.data.subarray(from * x.width, to * x.width), [to - from, x.width]), to - from),
    );
    out.set(p.dataSync(), from);
    p.dispose();
  }
  return out;
}

export function predictProbabilities(model: tf.LayersModel, x: Matrix, batchRows = 8192): Float32Array {
  // One predict batch per chunk: predict's default of 32 rows slices the chunk 256 times, and the
  // WebAssembly backend copies the whole chunk out of its heap for every slice.
  return predictBatched(
    x,
    batchRows,
    (input, rows) => model.predict(input, { batchSize: rows }) as tf.Tensor,
  );
}

/**
 * The output unit's pre-sigmoid value for each row: the hidden layers as `predict` runs them, then
 * the last layer's kernel and bias in the same fused matMul the dense layer uses, without its
 * sigmoid (what the ONNX graph's last Gemm computes).
 */
export function predictLogits(model: tf.Sequential, x: Matrix, batchRows = 8192): Float32Array {
  const layers = model.layers;
  const last = layers[layers.length - 1]!;
  return predictBatched(x, batchRows, (input) => {
    let h: tf.Tensor = input;
    for (const layer of layers.slice(0, -1)) h = layer.apply(h) as tf.Tensor;
    const [kernel, bias] = last.getWeights();
    return tf.fused.matMul({ a: h as tf.Tensor2D, b: kernel as tf.Tensor2D, bias: bias! });
  });
}
