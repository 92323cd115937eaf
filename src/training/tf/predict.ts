/**
 * Batched inference with a tfjs network, returning plain probabilities. Batches bound the size of
 * the tensors held at once, and every tensor is disposed, so scoring 400k rows does not grow memory.
 */
import * as tf from "@tensorflow/tfjs";
import type { Matrix } from "../prep/encode-table.js";

export function predictProbabilities(model: tf.LayersModel, x: Matrix, batchRows = 8192): Float32Array {
  const out = new Float32Array(x.rows);
  for (let from = 0; from < x.rows; from += batchRows) {
    const to = Math.min(x.rows, from + batchRows);
    const p = tf.tidy(() => {
      const input = tf.tensor2d(x.data.subarray(from * x.width, to * x.width), [to - from, x.width]);
      // One predict batch per chunk: predict's default of 32 rows slices the chunk 256 times, and
      // the WebAssembly backend copies the whole chunk out of its heap for every slice.
      return model.predict(input, { batchSize: to - from }) as tf.Tensor;
    });
    out.set(p.dataSync(), from);
    p.dispose();
  }
  return out;
}
