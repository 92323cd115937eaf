/**
 * What probe.ts and curve.ts share: flag checks, the encoding of a training set's rows as trainModel
 * encodes them, the soft (true-probability) labels of a ceiling probe, and how a gap is printed.
 */
import { createRandom } from "../../../src/random/seeded-random.js";
import type { ModelInput } from "../../../src/scoring/model-metadata.js";
import { encodeTable, type Matrix } from "../../../src/training/prep/encode-table.js";
import { type TrainingSet, takeValues } from "../../../src/training/table.js";
import type { GapStats } from "../../support/independent-truth.js";

export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

export function integer(name: string, value: string | undefined, min: number): number {
  if (value === undefined) fail(`--${name} is required`);
  const v = Number(value);
  if (!Number.isInteger(v) || v < min) fail(`--${name} must be an integer >= ${min}, got ${value}`);
  return v;
}

/** Progress on stderr, with the seconds since the script started. */
export function progressLog(): (message: string) => void {
  const t0 = performance.now();
  return (m) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${m}`);
}

const f4 = (x: number) => x.toFixed(4);
export const gapText = (g: GapStats) =>
  `rows ${g.rows}/${g.positives} AUC ${f4(g.auc)} true-p ${f4(g.truthAuc)} gap ${f4(g.gap)} ± ${f4(g.gapSE)}`;

/** Rows encoded with the fitted inputs and their labels; `cold` applies trainModel's cold-start masking. */
export function labelledRows(
  set: TrainingSet,
  inputs: readonly ModelInput[],
  rows: Uint32Array,
  cold = false,
): Matrix & { labels: Uint8Array } {
  return {
    ...encodeTable(
      inputs,
      set.table,
      rows,
      cold && set.coldStart
        ? { rates: set.coldStart, random: createRandom(42).fork("cold-start") }
        : undefined,
    ),
    labels: takeValues(set.labels, rows),
  };
}

/**
 * A ceiling probe's training rows: the true probabilities in place of the 0/1 labels (both fitters
 * read labels as numbers, so the gradient becomes p - truth). A measuring device, not a model.
 */
export function softLabels<T extends { labels: Uint8Array }>(
  train: T,
  set: TrainingSet,
  rows: Uint32Array,
): T {
  return { ...train, labels: takeValues(set.truth!, rows) as unknown as Uint8Array };
}
