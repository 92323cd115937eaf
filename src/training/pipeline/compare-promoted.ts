/**
 * Scores the currently promoted model on the new model's held-out rows, through onnxruntime and
 * its own metadata (the same path serving takes), so "better" means better on the same rows. When
 * the promoted model reads inputs this data does not have, it falls back to its stored metrics.
 */
import { join } from "node:path";
import { formulaColumns, inputFormula } from "../../scoring/encode-inputs.js";
import type { ModelInput } from "../../scoring/model-metadata.js";
import { readPromoted } from "../artifact/registry-file.js";
import { type Evaluation, evaluate } from "../metrics/evaluate.js";
import { createOnnxScorer } from "../onnx/onnx-scorer.js";
import { encodeTable } from "../prep/encode-table.js";
import type { TrainingSet } from "../table.js";

export interface PromotedComparison {
  readonly version: string;
  /** On the same held-out rows; absent when the promoted model could not score them. */
  readonly evaluation?: Evaluation;
  /** The promoted model's own headline metrics (from its metadata), on its own test rows. */
  readonly stored: Readonly<Record<string, number>>;
  readonly note: string;
}

/** Whether the promoted model could have trained on these held-out rows (which flatters it). */
function fairness(
  t: { dataHash?: string | undefined; seed?: number | undefined },
  set: TrainingSet,
  seed: number,
): string {
  if (t.dataHash !== set.info.dataHash) return "it was trained on other data";
  if (t.seed === seed) return "same data and seed, so the same split: a like-for-like comparison";
  return `it was trained on this data with seed ${t.seed}, so some of these rows were its training rows and its figures are optimistic`;
}

export async function comparePromoted(
  modelsDir: string,
  name: string,
  set: TrainingSet,
  testRows: Uint32Array,
  testLabels: Uint8Array,
  seed: number,
): Promise<PromotedComparison | undefined> {
  const promoted = readPromoted(modelsDir, name);
  if (!promoted) return undefined;
  const meta = promoted.metadata;
  const inTable = (column: string) => set.table.numeric.has(column) || set.table.categorical.has(column);
  // The encoder computes a formula input from the columns it reads, never from a column of its name.
  const has = (i: ModelInput) => {
    const formula = inputFormula(i);
    return formula === undefined ? inTable(i.name) : formulaColumns(formula).every(inTable);
  };
  const absent = meta.inputs.filter((i) => !has(i)).map((i) => i.name);
  const base = { version: promoted.version, stored: meta.metrics };
  if (absent.length > 0) {
    return {
      ...base,
      note: `it reads inputs this data lacks (${absent.slice(0, 5).join(", ")}); its stored metrics are from its own test rows`,
    };
  }
  const x = encodeTable(meta.inputs, set.table, testRows);
  const scorer = await createOnnxScorer(join(promoted.dir, meta.onnx.file), {
    inputName: meta.onnx.inputName,
    outputName: meta.onnx.outputName,
    outputColumn: meta.onnx.outputColumn,
  });
  try {
    let p = await scorer.score(x.data, x.rows, x.width);
    if (meta.onnx.outputKind === "logit") p = p.map((z) => 1 / (1 + Math.exp(-z)));
    return {
      ...base,
      evaluation: evaluate(p, testLabels),
      note: `scored with onnxruntime on the same held-out rows; ${fairness(meta.training, set, seed)}`,
    };
  } finally {
    await scorer.release();
  }
}
