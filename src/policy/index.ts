/**
 * The policy module's public surface: what the decision pipeline and the composition root import.
 * Everything else in src/policy is an implementation detail.
 */

export { activePolicyOrFile } from "./active-policy.js";
export type { BusinessUnitPolicy, ContextWeight, Policy, PolicyAction } from "./compiled-policy.js";
export { placementKey } from "./compiled-policy.js";
export {
  loadPolicy,
  loadPolicyFile,
  type PolicyResult,
  type PolicyTextOptions,
  parsePolicyText,
  tryLoadPolicy,
  validatePolicy,
} from "./load-policy.js";
export { MemoryPolicyStore } from "./memory-policy-store.js";
export { journeysOf, placementProblem } from "./placement-names.js";
export {
  actionsAt,
  checkEligibility,
  contextWeightOf,
  type Placement,
  type PriorityBreakdown,
  priorityOf,
} from "./policy-priority.js";
export { describePolicyErrors } from "./policy-problems.js";
export {
  type CompiledRule,
  compileRule,
  evaluate,
  type RuleData,
  RuleEvaluator,
  type RuleResult,
} from "./policy-rules.js";
export type { PolicyDocument, PolicyInput } from "./policy-schema.js";
export {
  type ActivePolicy,
  type PolicyChange,
  PolicyService,
  type PolicyServiceOptions,
} from "./policy-service.js";
export type { PolicySource, PolicyStore, PolicyVersionInfo, StoredPolicy } from "./policy-store.js";
export { RedisPolicyStore } from "./redis-policy-store.js";
