/**
 * What an exploration strategy wraps: something that, for a context and a set of arms, estimates each
 * arm's P(accept) (`mean`) and how uncertain that estimate is (`width`, a standard deviation before
 * the algorithm's own scaling; 0 when the scorer has no notion of it).
 */
import type { Arm, ArmState, ScorerKind } from "./bandit.js";

/** A logistic scorer's posterior of each arm's log-odds: N(mean[i], sd[i]²). */
export interface LogitPosterior {
  readonly mean: Float64Array;
  readonly sd: Float64Array;
}

export interface Scorer {
  readonly kind: ScorerKind;
  /**
   * Fills mean[i] and width[i] for arms[i]; x has the bandit's context length. A logistic scorer
   * also fills `logit` when given (other scorers leave it alone).
   */
  estimate(
    x: ArrayLike<number>,
    arms: readonly Arm[],
    mean: Float64Array,
    width: Float64Array,
    logit?: LogitPosterior,
  ): void;
  learn(x: ArrayLike<number>, actionId: string, prior: number, reward: number): void;
  /** Deep copies of every arm with data. */
  armStates(): ArmState[];
}

/** The offline propensity as it is: the static baseline, learns nothing. */
export class PriorScorer implements Scorer {
  readonly kind = "prior";

  estimate(_x: ArrayLike<number>, arms: readonly Arm[], mean: Float64Array, width: Float64Array): void {
    for (let i = 0; i < arms.length; i++) {
      const p = arms[i]!.prior;
      mean[i] = p > 0 ? (p < 1 ? p : 1) : 0;
      width[i] = 0;
    }
  }

  learn(): void {}

  armStates(): ArmState[] {
    return [];
  }
}
