/** Shared helpers for the bandit tests: configs over a small context, arms, a chi-square bound. */
import type { Arm, BanditConfig, ExplorationParams, ScorerKind } from "../../src/bandit/bandit.js";
import type { Random } from "../../src/random/seeded-random.js";

export const TEST_DIM = 6;

export function testConfig(
  exploration: ExplorationParams,
  scorer: ScorerKind = "ridge",
  ridge = 1,
): BanditConfig {
  return { exploration, scorer, ridge, contextDim: TEST_DIM, contextSchema: `test-d${TEST_DIM}` };
}

export function randomContext(rng: Random, dim = TEST_DIM): Float64Array {
  return new Float64Array(dim).map(() => (rng.next() < 0.3 ? 0 : rng.normal()));
}

export function arms(priors: readonly number[], multipliers: readonly number[] = priors.map(() => 1)): Arm[] {
  return priors.map((prior, i) => ({ actionId: `a${i}`, prior, multiplier: multipliers[i]! }));
}

/** Upper 0.1% point of chi-square with `df` degrees of freedom (Wilson-Hilferty). */
export function chiSquareBound(df: number): number {
  const z = 3.09;
  const h = 2 / (9 * df);
  return df * (1 - h + z * Math.sqrt(h)) ** 3;
}
