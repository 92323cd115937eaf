/**
 * One training run end to end, as the CLIs and the benchmark use it: train and evaluate, export
 * ONNX and check it scores like the trainer (tfjs for networks, the TypeScript tree walk for gbdt,
 * both for a blend),
 * compare with the promoted model, then write the version folder (model.onnx, metadata.json,
 * metrics.json, report.html).
 */
import type { ModelMetadata } from "../../scoring/model-metadata.js";
import { buildMetadata } from "../artifact/build-metadata.js";
import { versionDir, writeArtifact } from "../artifact/write-artifact.js";
import { headline } from "../metrics/evaluate.js";
import { exportModel } from "../onnx/export-model.js";
import { createOnnxScorer } from "../onnx/onnx-scorer.js";
import { encodedColumnNames } from "../prep/fit-inputs.js";
import { expandedWidth } from "../prep/interactions.js";
import { renderReport } from "../report/report-html.js";
import type { TrainingSet } from "../table.js";
import { comparePromoted, type PromotedComparison } from "./compare-promoted.js";
import { networkPart, treePart } from "./learned-model.js";
import { type TrainedModel, type TrainOptions, trainModel } from "./train-model.js";

export interface RunTrainingOptions {
  readonly name: string;
  readonly train: TrainOptions;
  /** Registry root (default "models"): where the promoted model is read and new versions go. */
  readonly modelsDir?: string;
  /** Write here instead of `<modelsDir>/<name>/<version>`. */
  readonly out?: string;
  /** Recorded in metadata.training.command. */
  readonly command: string;
  /** Default true; false trains and evaluates only (tests, benchmarks). */
  readonly write?: boolean;
  /** Default true: score the promoted model on the same held-out rows. */
  readonly compare?: boolean;
  readonly now?: Date;
}

export interface TrainingRun {
  readonly trained: TrainedModel;
  readonly metadata: ModelMetadata;
  readonly onnx: Uint8Array;
  /** Largest |onnxruntime − trainer| probability over the held-out rows. */
  readonly parityMaxAbsDiff: number;
  readonly promoted?: PromotedComparison;
  /** Whether the promoted model was looked up (false with `compare: false`). */
  readonly compared: boolean;
  readonly metrics: Record<string, unknown>;
  /** Absolute folder written, when `write` is on. */
  readonly dir?: string;
  /** `dir` already held this version (same content hash) and was kept as it was. */
  readonly existed?: boolean;
}

/** Total split gain per encoded column, named (`age`, `job=admin.`, `job=(unseen)`), largest first. */
function importanceByColumn(trained: TrainedModel): { column: string; gain: number }[] {
  const trees = treePart(trained.model);
  if (!trees) return [];
  const names = encodedColumnNames(trained.inputs);
  const gain = trees.ensemble.importance;
  return names
    .map((column, i) => ({ column, gain: gain[i] ?? 0 }))
    .filter((c) => c.gain > 0)
    .sort((a, b) => b.gain - a.gain);
}

async function parity(onnx: Uint8Array, trained: TrainedModel): Promise<number> {
  const scorer = await createOnnxScorer(onnx);
  try {
    const p = await scorer.score(trained.test.data, trained.test.rows, trained.test.width);
    let max = 0;
    for (let i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i]! - trained.testProbabilities[i]!));
    return max;
  } finally {
    await scorer.release();
  }
}

export async function runTraining(set: TrainingSet, options: RunTrainingOptions): Promise<TrainingRun> {
  const modelsDir = options.modelsDir ?? "models";
  const trained = await trainModel(set, options.train);
  const onnx = exportModel(trained.model, { description: `${options.name} ${trained.options.kind}` });
  const parityMaxAbsDiff = await parity(onnx, trained);
  const e = trained.evaluation;
  const truth = trained.truthEvaluation;
  const plan = networkPart(trained.model)?.interactions;
  const interactions = plan && { by: plan.by, columns: expandedWidth(plan) - plan.width };
  const metadata = buildMetadata(
    {
      name: options.name,
      kind: trained.options.kind,
      inputs: trained.inputs,
      metrics: {
        rocAuc: e.rocAuc,
        prAuc: e.prAuc,
        logLoss: e.logLoss,
        brier: e.brier,
        ece: e.ece,
        testRows: e.rows,
        positiveRate: e.positiveRate,
        ...(truth ? { truthRocAuc: truth.rocAuc, truthBrier: truth.brier } : {}),
      },
      command: options.command,
      seed: trained.options.seed,
      rows: set.labels.length,
      info: set.info,
      createdAt: options.now ?? new Date(),
    },
    onnx,
  );
  const promoted =
    options.compare === false
      ? undefined
      : await comparePromoted(modelsDir, options.name, set, trained.split.test, trained.test.labels, {
          kind: trained.options.split,
          testFraction: trained.options.testFraction,
          seed: trained.options.seed,
        });
  const metrics = {
    name: metadata.name,
    version: metadata.version,
    kind: metadata.kind,
    backend: trained.backend,
    options: trained.options,
    rows: trained.rows,
    test: e,
    ...(truth ? { truth: headline(truth) } : {}),
    ...(promoted
      ? {
          promoted: {
            version: promoted.version,
            note: promoted.note,
            sameRows: promoted.evaluation ? headline(promoted.evaluation) : null,
            stored: promoted.stored,
          },
        }
      : {}),
    training: {
      history: trained.fit.history,
      bestEpoch: trained.fit.bestEpoch,
      stoppedEarly: trained.fit.stoppedEarly,
      seconds: trained.fit.seconds,
      platt: (trained.model.type === "network" ? trained.model.platt : undefined) ?? null,
      ...(interactions ? { interactions } : {}),
      ...(trained.model.type === "trees"
        ? { trees: trained.model.ensemble.trees.length, importance: importanceByColumn(trained) }
        : {}),
      ...(trained.model.type === "blend"
        ? {
            blend: {
              treeWeight: trained.model.treeWeight,
              validationLogLoss: trained.model.validation,
              trees: trained.model.trees.ensemble.trees.length,
              treeSeconds: trained.model.fits.trees.seconds,
              treeHistory: trained.model.fits.trees.history,
              networkSeconds: trained.model.fits.network.seconds,
              network: trained.options.blendNetwork ?? "mlp",
            },
            importance: importanceByColumn(trained),
          }
        : {}),
    },
    parityMaxAbsDiff,
  };
  const compared = options.compare !== false;
  const result = {
    trained,
    metadata,
    onnx,
    parityMaxAbsDiff,
    metrics,
    compared,
    ...(promoted ? { promoted } : {}),
  };
  if (options.write === false) return result;
  const reportHtml = await renderReport({
    metadata,
    evaluation: e,
    ...(truth ? { truth } : {}),
    ...(promoted
      ? {
          promoted: {
            version: promoted.version,
            note: promoted.note,
            ...(promoted.evaluation ? { evaluation: promoted.evaluation } : {}),
          },
        }
      : {}),
    history: trained.fit.history,
    bestEpoch: trained.fit.bestEpoch,
    ...(treePart(trained.model) ? { importance: importanceByColumn(trained) } : {}),
    ...(trained.model.type === "blend"
      ? {
          blend: {
            treeWeight: trained.model.treeWeight,
            trees: trained.model.trees.ensemble.trees.length,
            epochs: trained.model.fits.network.history.length,
            network: trained.options.blendNetwork ?? "mlp",
          },
        }
      : {}),
    ...(interactions ? { interactions } : {}),
    backend: trained.backend,
    rows: trained.rows,
    trainSeconds: trained.fit.seconds,
  });
  const { dir, existed } = writeArtifact(
    options.out ?? versionDir(modelsDir, options.name, metadata.version),
    {
      onnx,
      metadata,
      metrics,
      reportHtml,
    },
  );
  return { ...result, dir, existed };
}
