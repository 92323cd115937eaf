/**
 * Thompson sampling skips arms whose best draw is below another arm's worst, and contenders whose
 * best draw is below every draw's best so far. The skipping must change nothing: the same choice,
 * probabilities and estimates as visiting every draw of every arm.
 */
import { describe, expect, it } from "vitest";
import type { ExploreInput } from "../../src/bandit/explorers/explorer.js";
import { ThompsonExplorer } from "../../src/bandit/explorers/thompson-explorer.js";
import { createRandom, type Random } from "../../src/random/seeded-random.js";

function randomInput(rng: Random, k: number, logistic: boolean): ExploreInput {
  const mean = new Float64Array(k);
  const width = new Float64Array(k);
  const multiplier = new Float64Array(k);
  const exploring = new Uint8Array(k);
  const meanScore = new Float64Array(k);
  const logitMean = new Float64Array(k);
  const logitSd = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    // Values spread over two orders of magnitude, as a catalogue's are; a few arms not exploring.
    multiplier[a] = 10 ** (1 + 2 * rng.next());
    exploring[a] = rng.next() < 0.9 ? 1 : 0;
    logitMean[a] = -4 + 4 * rng.next();
    logitSd[a] = 3 * rng.next() * rng.next();
    mean[a] = 1 / (1 + Math.exp(-logitMean[a]!));
    width[a] = 0.2 * rng.next();
    meanScore[a] = multiplier[a]! * mean[a]!;
  }
  return {
    k,
    mean,
    width,
    multiplier,
    exploring,
    meanScore,
    ...(logistic ? { logit: { mean: logitMean, sd: logitSd } } : {}),
  };
}

function outputs(k: number) {
  return { probabilities: new Float64Array(k), estimates: new Float64Array(k), scores: new Float64Array(k) };
}

describe("Thompson sampling's pruning", () => {
  for (const logistic of [true, false]) {
    it(`changes no choice, probability or estimate (${logistic ? "logistic" : "linear"} arms)`, () => {
      const inputs = createRandom(31).fork(`inputs-${logistic}`);
      let armsNeverFirst = false;
      for (let trial = 0; trial < 300; trial++) {
        const k = 2 + inputs.int(30);
        const draws = [64, 100, 256, 1000][trial % 4]!;
        const input = randomInput(inputs, k, logistic);
        const pruned = outputs(k);
        const full = outputs(k);
        const a = new ThompsonExplorer(1, draws).explore(input, createRandom(trial), pruned);
        const b = new ThompsonExplorer(1, draws, false).explore(input, createRandom(trial), full);
        expect(a).toBe(b);
        expect(Array.from(pruned.probabilities)).toEqual(Array.from(full.probabilities));
        expect(Array.from(pruned.estimates)).toEqual(Array.from(full.estimates));
        expect(Array.from(pruned.scores)).toEqual(Array.from(full.scores));
        if (pruned.probabilities.some((p) => p === 0)) armsNeverFirst = true;
      }
      // The inputs are varied enough that some arms never win a draw (where pruning has work to do).
      expect(armsNeverFirst).toBe(true);
    });
  }
});
