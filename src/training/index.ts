/**
 * Public face of the training library: data sources, label building, preprocessing, models,
 * metrics, report and ONNX export. The CLIs (training/*.ts) and bench/models-bench.ts use only this
 * surface; serving needs nothing from here (formula inputs are computed by the shared encoder).
 */
export {
  buildMetadata,
  canonicalJson,
  contentVersion,
  MetadataContractError,
} from "./artifact/build-metadata.js";
export { PROMOTION_TOLERANCE, promoteRun, promotionBlocker } from "./artifact/promote.js";
export { readPromoted } from "./artifact/registry-file.js";
export { versionDir, writeArtifact } from "./artifact/write-artifact.js";
export {
  type CsvConfig,
  CsvInputError,
  csvConfigSchema,
  readCsvConfigFile,
  resolveCsvConfig,
} from "./data/csv-config.js";
export { loadCsv } from "./data/csv-source.js";
export {
  addDerivedColumns,
  DerivedColumnError,
  type DerivedSpec,
  derivedRow,
  derivedType,
  derivedValue,
  formulaMap,
  isDerivedName,
} from "./data/derived-columns.js";
export { CHURN_FORMULAS, ENGINEERED_RAW, PROPENSITY_FORMULAS } from "./data/generated-formulas.js";
export {
  ACTION_INPUTS,
  churnDecisions,
  earlierLabelTimes,
  featuresBefore,
  type LabelledDecision,
  propensityDecisions,
} from "./data/generated-rows.js";
export {
  DEFAULT_SAMPLE,
  type GeneratedInput,
  type GeneratedSetOptions,
  type GeneratedTask,
  generatedSet,
  readGeneratedDir,
  sampleInput,
  streamedGeneratedSets,
} from "./data/generated-source.js";
export { type DataSpec, hasTimeSpread, loadTrainingData } from "./data/load-data.js";
export { fitGbdt } from "./gbdt/boost.js";
export { DEFAULT_GBDT, type GbdtParams, resolveGbdtParams } from "./gbdt/params.js";
export { predictTreeProbabilities, type TreeEnsemble } from "./gbdt/predict.js";
export { calibration } from "./metrics/calibration.js";
export { type Evaluation, evaluate, type HeadlineMetrics, headline } from "./metrics/evaluate.js";
export { liftByDecile } from "./metrics/lift.js";
export { prAuc, prCurve } from "./metrics/pr-auc.js";
export { brierScore, logLoss } from "./metrics/probability-scores.js";
export { rocAuc, rocCurve } from "./metrics/roc-auc.js";
export { isNetworkKind, MODEL_KINDS, type ModelKind, type NetworkKind } from "./model-kind.js";
export { exportBlendOnnx } from "./onnx/export-blend-onnx.js";
export { exportModel } from "./onnx/export-model.js";
export { exportOnnx, ONNX_INPUT, ONNX_OPSET, ONNX_OUTPUT } from "./onnx/export-onnx.js";
export { exportTreeOnnx, ONNX_ML_OPSET } from "./onnx/export-tree-onnx.js";
export { createOnnxScorer, type OnnxScorer } from "./onnx/onnx-scorer.js";
export {
  BLEND_TREE_WEIGHTS,
  type BlendModel,
  blendProbabilities,
  chooseTreeWeight,
  fitBlendModel,
  predictBlend,
} from "./pipeline/blend-model.js";
export { comparePromoted, type PromotedComparison } from "./pipeline/compare-promoted.js";
export { type LearnedModel, predictLearned } from "./pipeline/learned-model.js";
export { type RunTrainingOptions, runTraining, type TrainingRun } from "./pipeline/run-training.js";
export {
  autoBatchSize,
  mergeEnsemble,
  type ResolvedTrainOptions,
  type TrainedModel,
  type TrainOptions,
  trainModel,
} from "./pipeline/train-model.js";
export { encodeTable, type Matrix, UNSEEN } from "./prep/encode-table.js";
export { fitInputs, inputWidth } from "./prep/fit-inputs.js";
export {
  expandedWidth,
  type InteractionPlan,
  planInteractions,
  withInteractions,
} from "./prep/interactions.js";
export { renderReport } from "./report/report-html.js";
export { NumpyRandomState, sklearnStratifiedSplit } from "./sklearn-split.js";
export { type Split, type SplitKind, snapshotSplit, stratifiedSplit, timeSplit } from "./split.js";
export { columnNames, rowView, type SourceInfo, type Table, type TrainingSet, takeRows } from "./table.js";
export { type BackendName, selectBackend } from "./tf/backend.js";
export { buildNetwork, type DenseLayer, denseLayers } from "./tf/build-network.js";
export { type EpochLog, fitNetwork } from "./tf/fit-network.js";
export { fitPlatt, foldPlatt } from "./tf/platt.js";
export { predictLogits, predictProbabilities } from "./tf/predict.js";
