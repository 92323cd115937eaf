/**
 * The hand-written training loop (fit-network.ts) must take the same steps as tfjs's `model.fit`
 * on the same rows in the same order: same Adam, same loss (class-weighted binary cross-entropy plus
 * the L2 penalty). Only the gradients' arithmetic differs (transposes before plain matMuls), so the
 * weights after an epoch agree to float rounding.
 */
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { createRandom } from "../../src/random/seeded-random.js";
import { permutation } from "../../src/training/split.js";
import { selectBackend } from "../../src/training/tf/backend.js";
import { buildNetwork, denseLayers } from "../../src/training/tf/build-network.js";
import { fitNetwork, type LabelledMatrix } from "../../src/training/tf/fit-network.js";

function synthetic(rows: number, width: number, seed: number): LabelledMatrix {
  const random = createRandom(seed);
  const data = new Float32Array(rows * width);
  const labels = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = -1.5;
    for (let c = 0; c < width; c++) {
      // Mostly one-hot-like sparse columns, as the encoded inputs are.
      const v = c % 3 === 0 ? random.next() * 2 - 1 : random.next() < 0.2 ? 1 : 0;
      data[r * width + c] = v;
      z += (c % 2 === 0 ? 0.8 : -0.5) * v;
    }
    labels[r] = random.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { data, rows, width, labels };
}

/** One epoch of `model.fit` over the rows in the order fitNetwork's seeded shuffle would use. */
async function referenceEpoch(
  model: tf.Sequential,
  train: LabelledMatrix,
  options: { batchSize: number; learningRate: number; seed: number; classWeight?: { 0: number; 1: number } },
): Promise<void> {
  const order = permutation(train.rows, createRandom(options.seed).fork("epoch-shuffle"));
  const x = new Float32Array(train.rows * train.width);
  const y = new Float32Array(train.rows);
  order.forEach((r, i) => {
    x.set(train.data.subarray(r * train.width, (r + 1) * train.width), i * train.width);
    y[i] = train.labels[r]!;
  });
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: "binaryCrossentropy" });
  const xs = tf.tensor2d(x, [train.rows, train.width]);
  const ys = tf.tensor2d(y, [train.rows, 1]);
  await model.fit(xs, ys, {
    epochs: 1,
    batchSize: options.batchSize,
    shuffle: false,
    verbose: 0,
    ...(options.classWeight ? { classWeight: options.classWeight } : {}),
  });
  xs.dispose();
  ys.dispose();
}

describe("fitNetwork", () => {
  for (const kind of ["mlp", "logistic"] as const) {
    it(`takes the same steps as tfjs model.fit (${kind}, L2, class weights, a partial last batch)`, async () => {
      await selectBackend();
      const train = synthetic(1000, 12, 1);
      const val = synthetic(300, 12, 2);
      const l2 = 1e-3;
      const classWeight = { 0: 0.6, 1: 2.5 };
      const common = { batchSize: 128, learningRate: 0.01, seed: 5, classWeight };
      const build = () => buildNetwork({ kind, inputWidth: 12, seed: 9, hidden: [8, 4], l2, outputBias: -1 });
      const ours = build();
      const reference = build();
      const before = denseLayers(ours);
      const result = await fitNetwork(ours, train, val, { ...common, epochs: 1, patience: 5, l2 });
      await referenceEpoch(reference, train, common);
      const a = denseLayers(ours);
      const b = denseLayers(reference);
      let maxDiff = 0;
      let moved = 0;
      a.forEach((layer, i) => {
        for (const part of ["kernel", "bias"] as const)
          layer[part].forEach((v, j) => {
            maxDiff = Math.max(maxDiff, Math.abs(v - b[i]![part][j]!));
            moved = Math.max(moved, Math.abs(v - before[i]![part][j]!));
          });
      });
      expect(result.history).toHaveLength(1);
      expect(Number.isFinite(result.history[0]!.loss)).toBe(true);
      // Training moved the weights by far more than the two loops differ.
      expect(moved).toBeGreaterThan(0.02);
      expect(maxDiff).toBeLessThan(1e-4);
      ours.dispose();
      reference.dispose();
    });
  }

  it("stops early and restores the best epoch's weights", async () => {
    await selectBackend();
    const train = synthetic(600, 6, 3);
    // Validation labels unrelated to the inputs: validation loss soon stops improving.
    const val = { ...synthetic(200, 6, 4), labels: Uint8Array.from({ length: 200 }, (_, i) => i % 2) };
    const net = buildNetwork({ kind: "mlp", inputWidth: 6, seed: 1, hidden: [16] });
    const tensorsBefore = tf.memory().numTensors;
    const result = await fitNetwork(net, train, val, {
      epochs: 40,
      batchSize: 32,
      learningRate: 0.05,
      patience: 2,
      l2: 0,
      seed: 1,
    });
    // Every batch tensor, variable, optimiser slot and kept best weight is released.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(result.stoppedEarly).toBe(true);
    expect(result.history.length).toBe(result.bestEpoch + 2);
    const best = Math.min(...result.history.map((h) => h.valLoss));
    expect(result.history[result.bestEpoch - 1]!.valLoss).toBe(best);
    // The network now holds the parameters that scored the best validation loss.
    const bce = (p: Float32Array) =>
      -p.reduce((s, q, i) => {
        const c = Math.min(1 - 1e-7, Math.max(1e-7, q));
        return s + (val.labels[i] === 1 ? Math.log(c) : Math.log(1 - c));
      }, 0) / p.length;
    const p = (
      net.predict(tf.tensor2d(val.data, [val.rows, val.width])) as tf.Tensor
    ).dataSync() as Float32Array;
    expect(bce(p)).toBeCloseTo(best, 5);
    net.dispose();
  });
});
