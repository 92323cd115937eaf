/**
 * `businessUnits.<unit>.maxExplorationShare` as the decision service passes it (`groupLimits`, the
 * arms' `group` = their business unit): over many seeded decisions, the share of decisions whose
 * first action is one of the unit's actions picked by exploration stays within the limit, and matches
 * what the logged probabilities predict (they stay exact under the limit).
 */
import { describe, expect, it } from "vitest";
import type { Arm, BanditConfig } from "../../src/bandit/bandit.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { randomContext, testConfig } from "./bandit-fixtures.js";

const UNIT_ARMS: Arm[] = [
  { actionId: "card_a", prior: 0.1, multiplier: 100, group: "cards" },
  { actionId: "card_b", prior: 0.08, multiplier: 110, group: "cards" },
  { actionId: "loan_a", prior: 0.05, multiplier: 180, group: "loans" },
  { actionId: "loan_b", prior: 0.04, multiplier: 200, group: "loans" },
  { actionId: "save_a", prior: 0.09, multiplier: 95, group: "savings" },
];

interface Tally {
  decisions: number;
  /** Decisions whose first action is a loans action that is not the greedy one. */
  explored: number;
  /** Sum over decisions of the logged P(first) of the loans actions that are not greedy. */
  expected: number;
  /** Same sum of the variances, for the tolerance. */
  variance: number;
  /** Decisions where the loans unit was first at all (greedy or not). */
  unitFirst: number;
}

function run(config: BanditConfig, limit: number | undefined, n: number, seed: number): Tally {
  const bandit = createBandit(config);
  const rng = createRandom(seed);
  const world = createRandom(seed + 1);
  // Some data, so means differ by context and the posterior is neither cold nor collapsed.
  for (let i = 0; i < 400; i++) {
    const arm = UNIT_ARMS[i % UNIT_ARMS.length]!;
    bandit.learn(randomContext(world), arm.actionId, arm.prior, world.next() < arm.prior ? 1 : 0);
  }
  const tally: Tally = { decisions: 0, explored: 0, expected: 0, variance: 0, unitFirst: 0 };
  for (let t = 0; t < n; t++) {
    const choice = bandit.choose(
      randomContext(world),
      UNIT_ARMS,
      rng,
      limit === undefined ? {} : { groupLimits: { loans: limit } },
    );
    let q = 0;
    UNIT_ARMS.forEach((arm, a) => {
      if (arm.group === "loans" && a !== choice.greedy) q += choice.probabilities[a]!;
    });
    const first = choice.order[0]!;
    tally.decisions++;
    tally.expected += q;
    tally.variance += q * (1 - q);
    if (UNIT_ARMS[first]!.group === "loans") {
      tally.unitFirst++;
      if (first !== choice.greedy) tally.explored++;
    }
  }
  return tally;
}

const algorithms: Record<string, BanditConfig> = {
  thompson: testConfig({ algorithm: "thompson", posteriorScale: 1, draws: 256 }, "ridge", 1),
  "linucb with an epsilon floor": testConfig({ algorithm: "linucb", alpha: 1, epsilon: 0.4 }),
  epsilon_greedy: testConfig({ algorithm: "epsilon_greedy", epsilon: 0.5 }),
  softmax: testConfig({ algorithm: "softmax", temperature: 1 }),
};

describe("maxExplorationShare over many decisions", () => {
  for (const [name, config] of Object.entries(algorithms)) {
    it(`${name}: the unit's exploration picks stay within the share of decisions, as logged`, () => {
      const n = 6_000;
      const limit = 0.05;
      const free = run(config, undefined, n, 11);
      // Without the limit this setup explores the unit well above it, so the test can fail.
      expect(free.explored / n).toBeGreaterThan(2 * limit);
      const limited = run(config, limit, n, 11);
      const share = limited.explored / n;
      // Per decision P(unit explored) <= limit, so the share over n decisions is within sampling noise of it.
      expect(limited.expected / n).toBeLessThanOrEqual(limit + 1e-12);
      expect(share).toBeLessThanOrEqual(limit + 4 * Math.sqrt((limit * (1 - limit)) / n));
      // The logged probabilities are exact: the count matches their sum within four standard deviations.
      expect(Math.abs(limited.explored - limited.expected)).toBeLessThanOrEqual(
        4 * Math.sqrt(limited.variance) + 1,
      );
    });
  }
});
