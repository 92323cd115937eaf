/**
 * The bandit's one small interface. A bandit estimates P(accept | x, action) online and turns
 * arbitration scores (multiplier × estimate) into a ranking with, for every arm, the exact
 * probability that the ranking puts it first: the number the decision log needs for off-policy
 * evaluation. Exploration wraps a scorer (Vowpal Wabbit-style reductions); see docs/bandits.md.
 */
import type { Random } from "../random/seeded-random.js";

export const BANDIT_ALGORITHMS = ["thompson", "linucb", "epsilon_greedy", "softmax"] as const;
export type BanditAlgorithm = (typeof BANDIT_ALGORITHMS)[number];

/** Per-arm exploration limits from the policy (`actions[].exploration`). */
export interface ArmExploration {
  /** false: the arm is scored by its mean only and is first only when it is the greedy choice. */
  readonly enabled: boolean;
  /** Highest probability with which the arm may be put first when it is not the greedy choice. */
  readonly maxProbability: number;
}

/** One candidate action after eligibility and contact policy. */
export interface Arm {
  readonly actionId: string;
  /** Offline propensity P(accept) in [0, 1]: the prediction of an arm with no data. */
  readonly prior: number;
  /** value × business-unit weight × lever × context weight (>= 0). */
  readonly multiplier: number;
  /** Absent: exploration enabled, no cap. */
  readonly explore?: ArmExploration;
  /** e.g. the business unit, for `ChooseOptions.groupLimits`. */
  readonly group?: string;
}

export interface ChooseOptions {
  /**
   * Per group (e.g. business unit): the largest total probability with which arms of that group may
   * be put first when they are not the greedy choice, in one decision.
   */
  readonly groupLimits?: Readonly<Record<string, number>>;
}

/** Arrays are indexed like the `arms` passed to `choose`. */
export interface Choice {
  /** Arm indexes, first = chosen; the rest by the score the algorithm ranked with. */
  readonly order: number[];
  /** P(arm is put first | x, arms), after exploration limits; sums to 1. */
  readonly probabilities: Float64Array;
  /** The P(accept) each arm was ranked with: a posterior draw, an upper bound or the mean. */
  readonly estimates: Float64Array;
  /** multiplier × estimate. */
  readonly scores: Float64Array;
  /** Posterior mean P(accept) per arm. */
  readonly means: Float64Array;
  /** Index of the greedy arm (highest multiplier × mean, first on ties). */
  readonly greedy: number;
  /** The first arm is not the greedy one. */
  readonly explored: boolean;
  /**
   * The arm the exploration put first when an exploration limit held it back, so the greedy arm
   * leads instead (its estimate and score are then its posterior mean's).
   */
  readonly overruled?: number;
}

export interface Bandit {
  readonly algorithm: BanditAlgorithm;
  readonly config: BanditConfig;
  /**
   * Ranks `arms` for context `x` (length `config.contextDim`). Deterministic given `rng`'s state.
   * Throws on an empty arm list or a context of the wrong length.
   */
  choose(x: ArrayLike<number>, arms: readonly Arm[], rng: Random, options?: ChooseOptions): Choice;
  /** One observed outcome: `reward` in [0, 1] (1 = accepted) for `actionId` shown with context `x` and `prior`. */
  learn(x: ArrayLike<number>, actionId: string, prior: number, reward: number): void;
  /** A deep copy of the learned state (for snapshots). */
  snapshot(): BanditState;
}

/**
 * What the exploration scores around: per-action ridge regression of P(accept), per-action logistic
 * regression (Laplace posterior), or the offline prior alone (a baseline).
 */
export type ScorerKind = "ridge" | "logistic" | "prior";

export type ExplorationParams =
  | {
      readonly algorithm: "thompson";
      /** v: multiplies the posterior standard deviation. */
      readonly posteriorScale: number;
      /** Posterior draws per decision that P(first) is counted over. */
      readonly draws: number;
    }
  | {
      readonly algorithm: "linucb";
      readonly alpha: number;
      /** Floor: with this probability the first arm is uniform (0 = deterministic LinUCB). */
      readonly epsilon: number;
    }
  | { readonly algorithm: "epsilon_greedy"; readonly epsilon: number }
  | { readonly algorithm: "softmax"; readonly temperature: number };

export interface BanditConfig {
  readonly exploration: ExplorationParams;
  readonly scorer: ScorerKind;
  /** λ: prior precision; A starts at λI and b at λθ₀ so a cold arm predicts its prior. */
  readonly ridge: number;
  /** Length of the shared context vector. */
  readonly contextDim: number;
  /** The context encoder's schema id (`ContextEncoder.schema`). */
  readonly contextSchema: string;
}

/** One arm's learned state: A⁻¹ packed (upper triangle, row-major), b, counts. */
export interface ArmState {
  readonly actionId: string;
  readonly count: number;
  readonly rewardSum: number;
  readonly aInv: Float64Array;
  readonly b: Float64Array;
}

/** Everything a bandit needs to resume: its configuration and every arm that has data. */
export interface BanditState {
  readonly config: BanditConfig;
  readonly arms: readonly ArmState[];
}
