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
import type { SplitKind } from "../split.js";
import type { TrainingSet } from "../table.js";

export interface PromotedComparison {
  readonly version: string;
  /** On the same held-out rows; absent when the promoted model could not score them. */
  readonly evaluation?: Evaluation;
  /** The promoted model's own headline metrics (from its metadata), on its own test rows. */
  readonly stored: Readonly<Record<string, number>>;
  readonly note: string;
}

/**
 * What decides which rows a model held out: the data, the rows built from it (the count tells
 * churn with its earlier label times from churn without, which share a data hash), the target, and
 * the split. The promoted model's split comes from its metrics.json (`options`), which every
 * trained version has: metadata.json's `training` block is the serving contract (strict), so
 * split fields cannot be added there.
 */
export interface HeldOutRecord {
  readonly dataHash?: string | undefined;
  readonly rows?: number | undefined;
  readonly target?: string | undefined;
  readonly positiveValue?: string | number | boolean | undefined;
  readonly kind?: string | undefined;
  readonly testFraction?: number | undefined;
  readonly seed?: number | undefined;
}

/** This run's side: all known; `snapshots` when a time split tests on the latest label time. */
export interface ThisRun extends Required<Omit<HeldOutRecord, "kind">> {
  readonly kind: SplitKind;
  readonly snapshots: boolean;
}

const LIKE = "a like-for-like comparison";
const FLATTERED = "so some of these rows were its training rows and its figures are optimistic";

/** Whether the promoted model could have trained on these held-out rows (which flatters it). */
export function comparisonNote(theirs: HeldOutRecord, ours: ThisRun): string {
  if (theirs.dataHash !== ours.dataHash) return "it was trained on other data";
  if (theirs.target !== ours.target || String(theirs.positiveValue) !== String(ours.positiveValue))
    return `it was trained on this data for another target (${theirs.target} = ${theirs.positiveValue}), so its labels were not these`;
  if (theirs.rows === undefined || theirs.kind === undefined || theirs.testFraction === undefined)
    return "its rows or split are not recorded (metadata.json training.rows, metrics.json options), so some of these rows may have been its training rows and its figures may be optimistic";
  if (theirs.rows !== ours.rows)
    return (
      `it was trained on other rows built from this data (${theirs.rows} rows, this run ${ours.rows}; ` +
      "e.g. churn without the earlier label times of --split time), so some of these rows may have been its training rows and its figures may be optimistic"
    );
  if (theirs.kind !== ours.kind) return `it was split ${theirs.kind} and this run ${ours.kind}, ${FLATTERED}`;
  if (ours.kind === "time") {
    if (ours.snapshots)
      return `same data, rows and time split (tested on the latest label time), so none of these rows were its training rows: ${LIKE}`;
    // On the same rows a time split's test rows are the latest share, whatever the seed.
    if (theirs.testFraction === ours.testFraction)
      return `same data, rows, time split and test fraction, so the same held-out rows: ${LIKE}`;
    return theirs.testFraction > ours.testFraction
      ? `it held out a larger latest share (${theirs.testFraction}, this run ${ours.testFraction}), so none of these rows were its training rows (it trained on fewer, earlier rows)`
      : `it held out a smaller latest share (${theirs.testFraction}, this run ${ours.testFraction}), ${FLATTERED}`;
  }
  if (theirs.seed === ours.seed && theirs.testFraction === ours.testFraction)
    return `same data, rows, split, test fraction and seed, so the same held-out rows: ${LIKE}`;
  return `it was split ${theirs.kind} with seed ${theirs.seed} and test fraction ${theirs.testFraction} (this run ${ours.seed}, ${ours.testFraction}), ${FLATTERED}`;
}

/** The split a version's metrics.json records, where it does. */
function recordedSplit(
  stored: Record<string, unknown> | undefined,
): Pick<HeldOutRecord, "kind" | "testFraction"> {
  const options = stored?.options;
  if (!options || typeof options !== "object") return {};
  const { split, testFraction } = options as Record<string, unknown>;
  return {
    ...(typeof split === "string" ? { kind: split } : {}),
    ...(typeof testFraction === "number" ? { testFraction } : {}),
  };
}

export async function comparePromoted(
  modelsDir: string,
  name: string,
  set: TrainingSet,
  testRows: Uint32Array,
  testLabels: Uint8Array,
  split: { readonly kind: SplitKind; readonly testFraction: number; readonly seed: number },
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
      note: `scored with onnxruntime on the same held-out rows; ${comparisonNote(
        { ...meta.training, ...recordedSplit(promoted.storedMetrics) },
        {
          ...split,
          dataHash: set.info.dataHash,
          rows: set.labels.length,
          target: set.info.target,
          positiveValue: set.info.positiveValue,
          snapshots: split.kind === "time" && set.labelEnds !== undefined,
        },
      )}`,
    };
  } finally {
    await scorer.release();
  }
}
