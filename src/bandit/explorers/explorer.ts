/**
 * An exploration strategy: turns per-arm estimates into a distribution over which arm goes first,
 * samples from it, and says what every arm was ranked with. The probability it reports for the arm
 * it returns must be exactly the probability with which it returns it.
 */
import type { Random } from "../../random/seeded-random.js";
import type { LogitPosterior } from "../scorer.js";

/** Per-arm inputs, indexed like the arms; only the first `k` entries are meaningful. */
export interface ExploreInput {
  readonly k: number;
  /** Posterior mean P(accept). */
  readonly mean: Float64Array;
  /** Standard deviation of the mean before the algorithm's scaling (0: no uncertainty known). */
  readonly width: Float64Array;
  readonly multiplier: Float64Array;
  /** 0: the arm is scored by its mean only (exploration disabled for it). */
  readonly exploring: Uint8Array;
  /** multiplier × mean. */
  readonly meanScore: Float64Array;
  /**
   * Logistic arms: the posterior of each arm's log-odds. Thompson sampling then draws there and maps
   * each draw through σ, so every draw is a probability; linear arms (absent) draw mean + width·z.
   */
  readonly logit?: LogitPosterior;
}

/** Written by `explore` for the first `k` arms. */
export interface ExploreOutput {
  /** P(first), before exploration limits. */
  readonly probabilities: Float64Array;
  /** The P(accept) each arm is ranked with. */
  readonly estimates: Float64Array;
  /** multiplier × estimate: the ranking key for every position after the first. */
  readonly scores: Float64Array;
}

export interface Explorer {
  /** Fills `out` and returns the sampled first arm. */
  explore(input: ExploreInput, rng: Random, out: ExploreOutput): number;
}
