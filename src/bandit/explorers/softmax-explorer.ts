/**
 * Softmax over log scores: P(first = a) ∝ (score_a / max score)^(1/τ), i.e. exp((ln s_a − ln s_max)/τ).
 * Scale-free (EUR or points give the same distribution); τ = 1 picks in proportion to the score,
 * τ → 0 is greedy. Arms scoring 0 or less are never first unless every arm does (then uniform).
 */
import type { Random } from "../../random/seeded-random.js";
import type { ExploreInput, ExploreOutput, Explorer } from "./explorer.js";

export class SoftmaxExplorer implements Explorer {
  constructor(private readonly temperature: number) {}

  explore(input: ExploreInput, rng: Random, out: ExploreOutput): number {
    const { k, mean, meanScore } = input;
    let max = 0;
    for (let a = 0; a < k; a++) {
      out.estimates[a] = mean[a]!;
      out.scores[a] = meanScore[a]!;
      if (meanScore[a]! > max) max = meanScore[a]!;
    }
    const p = out.probabilities;
    let total = 0;
    for (let a = 0; a < k; a++) {
      const s = meanScore[a]!;
      const w = max <= 0 ? 1 : s > 0 ? Math.exp(Math.log(s / max) / this.temperature) : 0;
      p[a] = w;
      total += w;
    }
    for (let a = 0; a < k; a++) p[a] = p[a]! / total;
    let u = rng.next();
    let last = 0;
    for (let a = 0; a < k; a++) {
      if (p[a]! <= 0) continue;
      last = a;
      u -= p[a]!;
      if (u < 0) return a;
    }
    return last; // rounding left a sliver: the last arm with mass takes it
  }
}
