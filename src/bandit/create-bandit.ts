/**
 * Builds bandits: from explicit settings, from the policy's `bandit` block, or from a snapshot's
 * state. The policy names the algorithm and its few knobs; everything else has a default here.
 */
import type { PolicyDocument } from "../policy/index.js";
import type { Bandit, BanditConfig, BanditState, ExplorationParams, ScorerKind } from "./bandit.js";
import { type ContextEncoder, DEFAULT_CONTEXT_ENCODER } from "./bandit-context.js";
import { LinearBandit } from "./linear-bandit.js";

/**
 * Posterior draws per Thompson decision when the policy's `thompson.draws` does not say: P(first)
 * within ±0.03 of infinite-draw Thompson sampling (one standard error, 0.5/sqrt(256)) for a quarter
 * of 1,024 draws' CPU; the logged probability stays exact for the draw actually played
 * (docs/bandits.md).
 */
export const DEFAULT_THOMPSON_DRAWS = 256;

/**
 * Draws for offline replays of a Thompson policy (off-policy evaluation): the arm played has the
 * same distribution for any draw count, and more draws estimate its probabilities more closely, at a
 * CPU cost that does not matter offline.
 */
export const OFFLINE_THOMPSON_DRAWS = 1024;

/** The policy document's `bandit` block (defaults filled in by the policy schema). */
export type PolicyBanditSettings = PolicyDocument["bandit"];

export interface BanditOverrides {
  readonly scorer?: ScorerKind;
  readonly draws?: number;
  /** LinUCB's epsilon floor; default the policy's `linucb.epsilon`, else 0 (deterministic). */
  readonly linucbEpsilon?: number;
  /** Ridge λ for epsilon-greedy and softmax, which the policy does not set (default 1). */
  readonly ridge?: number;
}

/** The algorithm and parameters the policy asks for, over `encoder`'s context vector. */
export function banditConfigFromPolicy(
  settings: PolicyBanditSettings,
  encoder: Pick<ContextEncoder, "dim" | "schema"> = DEFAULT_CONTEXT_ENCODER,
  overrides: BanditOverrides = {},
): BanditConfig {
  let exploration: ExplorationParams;
  let ridge = overrides.ridge ?? 1;
  switch (settings.algorithm) {
    case "thompson":
      exploration = {
        algorithm: "thompson",
        posteriorScale: settings.thompson.posteriorScale,
        draws: overrides.draws ?? settings.thompson.draws ?? DEFAULT_THOMPSON_DRAWS,
      };
      ridge = settings.thompson.ridge;
      break;
    case "linucb":
      exploration = {
        algorithm: "linucb",
        alpha: settings.linucb.alpha,
        epsilon: overrides.linucbEpsilon ?? settings.linucb.epsilon ?? 0,
      };
      ridge = settings.linucb.ridge;
      break;
    case "epsilon_greedy":
      exploration = { algorithm: "epsilon_greedy", epsilon: settings.epsilon_greedy.epsilon };
      break;
    case "softmax":
      exploration = { algorithm: "softmax", temperature: settings.softmax.temperature };
      break;
  }
  return {
    exploration,
    scorer: overrides.scorer ?? (settings.model === "logistic" ? "logistic" : "ridge"),
    ridge,
    contextDim: encoder.dim,
    contextSchema: encoder.schema,
  };
}

/** A bandit with `config`, starting from `arms` (deep-copied) or from the priors alone. */
export function createBandit(config: BanditConfig, arms: BanditState["arms"] = []): Bandit {
  return new LinearBandit(config, arms);
}

/**
 * The bandit a snapshot's state describes. With `config`, the learned arms are served under other
 * exploration settings (e.g. the active policy switched algorithm); the context schema and scorer
 * must match, and a different ridge applies to arms without data only.
 */
export function fromSnapshot(state: BanditState, config: BanditConfig = state.config): Bandit {
  if (config.contextSchema !== state.config.contextSchema || config.contextDim !== state.config.contextDim)
    throw new RangeError(
      `snapshot context ${state.config.contextSchema} does not match ${config.contextSchema}`,
    );
  if (config.scorer !== state.config.scorer)
    throw new RangeError(`snapshot scorer ${state.config.scorer} does not match ${config.scorer}`);
  return new LinearBandit(config, state.arms);
}
