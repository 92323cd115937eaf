/**
 * Fits a tfjs network (logistic regression or MLP, optionally an ensemble merged into one MLP) on
 * the encoded training rows with early stopping on the validation rows; calibrates with Platt on
 * the validation rows when class weights were used; zeroes first-layer weights of columns never
 * non-zero in training. What comes out is the exported parameters and the network that scores them.
 */
import type * as tf from "@tensorflow/tfjs";
import type { NetworkKind } from "../model-kind.js";
import type { Matrix } from "../prep/encode-table.js";
import { type InteractionPlan, withInteractions } from "../prep/interactions.js";
import {
  buildNetwork,
  type DenseLayer,
  defaultL2,
  denseLayers,
  setDenseLayers,
} from "../tf/build-network.js";
import { type EpochLog, type FitResult, fitNetwork, type LabelledMatrix } from "../tf/fit-network.js";
import { fitPlatt, foldPlatt, type Platt } from "../tf/platt.js";
import { predictProbabilities } from "../tf/predict.js";
import { zeroUnusedInputs } from "./unused-inputs.js";

export interface NetworkModel {
  readonly type: "network";
  readonly network: tf.Sequential;
  /** The exported parameters (calibration folded in, unused inputs zeroed). */
  readonly layers: readonly DenseLayer[];
  readonly platt?: Platt;
  /** Per-value interaction columns the network reads after the encoded columns (prep/interactions.ts). */
  readonly interactions?: InteractionPlan;
}

/** The rows the network reads: `x` itself, or `x` with its interaction columns appended. */
export function networkRows<M extends Matrix>(model: Pick<NetworkModel, "interactions">, x: M): M {
  return model.interactions ? { ...x, ...withInteractions(x, model.interactions) } : x;
}

export interface NetworkSettings {
  readonly kind: NetworkKind;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly patience: number;
  readonly hidden?: readonly number[];
  readonly l2?: number;
  readonly ensemble?: number;
  readonly classWeight?: { readonly 0: number; readonly 1: number };
  readonly interactions?: InteractionPlan;
}

/** Seed of ensemble member k (member 0 uses the training seed itself). */
const memberSeed = (seed: number, k: number): number => seed + 7919 * k;

/**
 * K networks of the same shape as one: hidden layers side by side (the first concatenated over
 * units, deeper ones block-diagonal) and the output unit averaging the members' logits, so
 * sigmoid(mean logit) is exactly what the merged network computes.
 */
export function mergeEnsemble(members: readonly (readonly DenseLayer[])[]): {
  layers: DenseLayer[];
  hidden: number[];
} {
  const k = members.length;
  const depth = members[0]!.length;
  const layers: DenseLayer[] = [];
  for (let l = 0; l < depth; l++) {
    const parts = members.map((m) => m[l]!);
    const last = l === depth - 1;
    const inputs = l === 0 ? parts[0]!.inputs : parts.reduce((s, p) => s + p.inputs, 0);
    const units = last ? 1 : parts.reduce((s, p) => s + p.units, 0);
    const kernel = new Float32Array(inputs * units);
    const bias = new Float32Array(units);
    let rowOffset = 0;
    let colOffset = 0;
    for (const p of parts) {
      for (let i = 0; i < p.inputs; i++)
        for (let j = 0; j < p.units; j++) {
          const row = l === 0 ? i : rowOffset + i;
          const col = last ? 0 : colOffset + j;
          kernel[row * units + col] = last ? p.kernel[i * p.units + j]! / k : p.kernel[i * p.units + j]!;
        }
      for (let j = 0; j < p.units; j++) {
        if (last) bias[0] = bias[0]! + p.bias[j]! / k;
        else bias[colOffset + j] = p.bias[j]!;
      }
      rowOffset += p.inputs;
      colOffset += p.units;
    }
    layers.push({ kernel, bias, inputs, units, activation: parts[0]!.activation });
  }
  return { layers, hidden: layers.slice(0, -1).map((l) => l.units) };
}

function priorLogit(labels: Uint8Array, weights: { 0: number; 1: number } | undefined): number {
  const positives = labels.reduce((s, y) => s + y, 0);
  const p =
    ((weights?.[1] ?? 1) * positives) /
    ((weights?.[1] ?? 1) * positives + (weights?.[0] ?? 1) * (labels.length - positives));
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

export async function fitNetworkModel(
  encodedTrain: LabelledMatrix,
  encodedVal: LabelledMatrix,
  s: NetworkSettings,
  onEpoch?: (log: EpochLog) => void,
): Promise<{ model: NetworkModel; fit: FitResult }> {
  const trainX = networkRows(s, encodedTrain);
  const valX = networkRows(s, encodedVal);
  const kind = s.kind;
  const members = kind === "mlp" ? (s.ensemble ?? 1) : 1;
  const weights = s.classWeight;
  const trainMember = async (seed: number) => {
    const net = buildNetwork({
      kind,
      inputWidth: trainX.width,
      seed,
      outputBias: priorLogit(trainX.labels, weights),
      ...(s.hidden ? { hidden: s.hidden } : {}),
      ...(s.l2 !== undefined ? { l2: s.l2 } : {}),
    });
    const result = await fitNetwork(net, trainX, valX, {
      epochs: s.epochs,
      batchSize: s.batchSize,
      learningRate: s.learningRate,
      patience: s.patience,
      l2: s.l2 ?? defaultL2(kind),
      seed,
      ...(weights ? { classWeight: weights } : {}),
      ...(onEpoch ? { onEpoch } : {}),
    });
    return { net, result };
  };
  const first = await trainMember(s.seed);
  let network = first.net;
  let fit = first.result;
  if (members > 1) {
    const all = [first];
    for (let k = 1; k < members; k++) all.push(await trainMember(memberSeed(s.seed, k)));
    const merged = mergeEnsemble(all.map((m) => denseLayers(m.net)));
    network = buildNetwork({ kind, inputWidth: trainX.width, seed: s.seed, hidden: merged.hidden });
    setDenseLayers(network, merged.layers);
    for (const m of all) m.net.dispose();
    // One history (the first member's) for the report; the time is the whole ensemble's.
    fit = { ...fit, seconds: all.reduce((sum, m) => sum + m.result.seconds, 0) };
  }

  let layers = zeroUnusedInputs(denseLayers(network), trainX);
  let platt: Platt | undefined;
  if (weights) {
    setDenseLayers(network, layers);
    platt = fitPlatt(predictProbabilities(network, valX), valX.labels);
    layers = [...layers.slice(0, -1), foldPlatt(layers[layers.length - 1]!, platt)];
  }
  setDenseLayers(network, layers);
  const interactions = s.interactions ? { interactions: s.interactions } : {};
  return { model: { type: "network", network, layers, ...(platt ? { platt } : {}), ...interactions }, fit };
}
