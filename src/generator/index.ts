/**
 * Public face of the synthetic bank-journey generator: datasets, the action catalogue and the
 * ground-truth models that simulators query for the true optimum.
 */

export { ACCEPTANCE_COEFFICIENTS, type ActionResponse, CHANNEL_EFFECT } from "./acceptance-coefficients.js";
export {
  ACTION_CATALOGUE,
  ACTION_IDS,
  type Action,
  type ActionId,
  type ActionKind,
  getAction,
  isActionId,
  isEligible,
} from "./action-catalogue.js";
export {
  type CustomerTraits,
  type LatentCustomer,
  type LatentState,
  LIFE_STAGES,
  type LifeStage,
  PRODUCT_UNITS,
  type ProductUnit,
} from "./customer-traits.js";
export {
  type CustomerHistory,
  customerIdOf,
  customerSimulator,
  type DatasetSummary,
  DEFAULT_END,
  GENERATOR_VERSION,
  type GenerateOptions,
  generateCustomers,
  generateSample,
  type Progress,
  type Sample,
  timelineOf,
} from "./dataset.js";
export {
  type ActionScore,
  acceptanceLogit,
  acceptanceProbability,
  CHURN_HORIZON_DAYS,
  churnHazard,
  churnProbability,
  type DecisionContext,
  expectedValue,
  OBSERVED_FEATURE_NAMES,
  type ObservedBehaviour,
  observedFromFeatures,
  optimalAction,
} from "./ground-truth.js";
export type { WrittenFile } from "./jsonl-file.js";
export { chooseLoggedAction, loggingPropensities, loggingWeight } from "./logging-policy.js";
export {
  type CustomerTruth,
  compareEvents,
  type EventProperties,
  encodeEvent,
  type GeneratedEvent,
  type OfferRecord,
  type ProfileRecord,
} from "./records.js";
export {
  DATASET_FILES,
  type DatasetFile,
  type Manifest,
  type WrittenDataset,
  writeDataset,
} from "./write-dataset.js";
