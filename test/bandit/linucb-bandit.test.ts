import { describe, expect, it } from "vitest";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { runBanditContract } from "./bandit.contract.js";
import { arms, randomContext, testConfig } from "./bandit-fixtures.js";

runBanditContract("linucb", testConfig({ algorithm: "linucb", alpha: 0.5, epsilon: 0 }), { learns: true });
runBanditContract(
  "linucb with an epsilon floor",
  testConfig({ algorithm: "linucb", alpha: 0.5, epsilon: 0.1 }),
  {
    learns: true,
  },
);

describe("linucb specifics", () => {
  it("is deterministic: probability 1 for the argmax of multiplier × upper bound", () => {
    const bandit = createBandit(testConfig({ algorithm: "linucb", alpha: 0.5, epsilon: 0 }));
    const rng = createRandom(1);
    const list = arms([0.1, 0.3, 0.2], [1, 1, 1]);
    const c = bandit.choose(randomContext(rng), list, rng);
    const best = c.scores.indexOf(Math.max(...c.scores));
    expect(c.order[0]).toBe(best);
    expect(c.probabilities[best]).toBe(1);
    for (let a = 0; a < 3; a++) expect(c.estimates[a]).toBeGreaterThanOrEqual(c.means[a]!);
  });

  it("splits exact ties evenly and samples among them", () => {
    const bandit = createBandit(testConfig({ algorithm: "linucb", alpha: 0.5, epsilon: 0 }));
    const rng = createRandom(2);
    const x = randomContext(rng);
    const list = [
      { actionId: "same", prior: 0.2, multiplier: 1 },
      { actionId: "same", prior: 0.2, multiplier: 1 },
      { actionId: "low", prior: 0.01, multiplier: 1 },
    ];
    const seen = [0, 0, 0];
    for (let t = 0; t < 2000; t++) {
      const c = bandit.choose(x, list, rng);
      expect([...c.probabilities]).toEqual([0.5, 0.5, 0]);
      seen[c.order[0]!]!++;
    }
    expect(seen[0]).toBeGreaterThan(900);
    expect(seen[1]).toBeGreaterThan(900);
  });

  it("with an epsilon floor gives every arm at least ε/k", () => {
    const bandit = createBandit(testConfig({ algorithm: "linucb", alpha: 0.5, epsilon: 0.2 }));
    const rng = createRandom(3);
    const c = bandit.choose(randomContext(rng), arms([0.1, 0.3, 0.2, 0.4]), rng);
    for (const p of c.probabilities) expect(p).toBeGreaterThanOrEqual(0.05 - 1e-12);
  });

  it("scores an arm whose exploration is disabled by its mean (no bonus)", () => {
    const bandit = createBandit(testConfig({ algorithm: "linucb", alpha: 2, epsilon: 0 }));
    const rng = createRandom(4);
    const c = bandit.choose(
      randomContext(rng),
      [
        { actionId: "a", prior: 0.2, multiplier: 1, explore: { enabled: false, maxProbability: 1 } },
        { actionId: "b", prior: 0.2, multiplier: 1 },
      ],
      rng,
    );
    expect(c.estimates[0]).toBe(c.means[0]);
    expect(c.estimates[1]).toBeGreaterThan(c.means[1]!);
  });
});
