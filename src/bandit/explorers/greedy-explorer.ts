/**
 * Argmax with an optional optimism bonus and an epsilon floor. With bonus α it is LinUCB
 * (estimate = mean + α·width); with α = 0 it is epsilon-greedy over the mean. P(first) is exact:
 * ε/k for every arm plus (1 − ε) split evenly over the arms tied for the best score.
 */
import type { Random } from "../../random/seeded-random.js";
import type { ExploreInput, ExploreOutput, Explorer } from "./explorer.js";

export class GreedyExplorer implements Explorer {
  constructor(
    private readonly bonus: number,
    private readonly epsilon: number,
  ) {}

  explore(input: ExploreInput, rng: Random, out: ExploreOutput): number {
    const { k, mean, width, multiplier, exploring } = input;
    let best = Number.NEGATIVE_INFINITY;
    let ties = 0;
    for (let a = 0; a < k; a++) {
      const estimate = exploring[a] && this.bonus > 0 ? mean[a]! + this.bonus * width[a]! : mean[a]!;
      const score = multiplier[a]! * estimate;
      out.estimates[a] = estimate;
      out.scores[a] = score;
      if (score > best) {
        best = score;
        ties = 1;
      } else if (score === best) {
        ties++;
      }
    }
    const eps = this.epsilon;
    const share = (1 - eps) / ties;
    for (let a = 0; a < k; a++) out.probabilities[a] = eps / k + (out.scores[a] === best ? share : 0);
    if (eps > 0 && rng.next() < eps) return rng.int(k);
    let pick = ties > 1 ? rng.int(ties) : 0;
    for (let a = 0; a < k; a++) {
      if (out.scores[a] === best && pick-- === 0) return a;
    }
    return 0; // unreachable: some arm holds the best score
  }
}
