/**
 * The bandit module's public surface: what the decision pipeline, the composition root and the
 * learner process import. Everything else in src/bandit is an implementation detail.
 */
export {
  type Arm,
  type ArmExploration,
  type ArmState,
  BANDIT_ALGORITHMS,
  type Bandit,
  type BanditAlgorithm,
  type BanditConfig,
  type BanditState,
  type Choice,
  type ChooseOptions,
  type ExplorationParams,
  type ScorerKind,
} from "./bandit.js";
export {
  BANDIT_CONTEXT_DIM,
  type BanditContextInput,
  type ContextEncoder,
  createContextEncoder,
  DEFAULT_CONTEXT_ENCODER,
} from "./bandit-context.js";
export { banditKeys } from "./bandit-keys.js";
export { type ApplyResult, BanditLearner, type BanditLearnerOptions } from "./bandit-learner.js";
export {
  type DecodedSnapshot,
  decodeSnapshot,
  type EncodedSnapshot,
  encodeSnapshot,
} from "./bandit-snapshot.js";
export { BanditSnapshotError } from "./bandit-snapshot-error.js";
export { type ContextLayout, DEFAULT_CONTEXT_LAYOUT, type FeatureSlot } from "./context-layout.js";
export {
  type BanditOverrides,
  banditConfigFromPolicy,
  createBandit,
  DEFAULT_THOMPSON_DRAWS,
  fromSnapshot,
  OFFLINE_THOMPSON_DRAWS,
  type PolicyBanditSettings,
} from "./create-bandit.js";
export { type LearnerLoopEnd, type LearnerLoopOptions, runLearnerLoop } from "./learner-loop.js";
export { type ResumedLearner, resumeLearner } from "./learner-resume.js";
export { MemorySnapshotStore } from "./memory-snapshot-store.js";
export { RedisSnapshotStore, type RedisSnapshotStoreOptions } from "./redis-snapshot-store.js";
export {
  MemoryRewardSource,
  type RewardEntry,
  type RewardSource,
  type RewardSourceFactory,
  type RewardSourceOptions,
} from "./reward-source.js";
export { SnapshotFollower, type SnapshotFollowerOptions } from "./snapshot-follower.js";
export { type PublishResult, type SnapshotStore, versionCounter } from "./snapshot-store.js";
