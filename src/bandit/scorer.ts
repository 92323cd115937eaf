/**
 * What an exploration strategy wraps: something that, for a context and a set of arms, estimates each
 * arm's P(accept) (`mean`) and how uncertain that estimate is (`width`, a standard deviation before
 * the algorithm's own scaling; 0 when the scorer has no notion of it).
 */
import type { Arm, ArmState, ScorerKind } from "./bandit.js";

export interface Scorer {
  readonly kind: ScorerKind;
  /** Fills mean[i] and width[i] for arms[i]; x has the bandit's context length. */
  estimate(x: ArrayLike<number>, arms: readonly Arm[], mean: Float64Array, width: Float64Array): void;
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
