import { describe, expect, it } from "vitest";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { runBanditContract } from "./bandit.contract.js";
import { arms, randomContext, testConfig } from "./bandit-fixtures.js";

runBanditContract("softmax over the ridge mean", testConfig({ algorithm: "softmax", temperature: 0.1 }), {
  learns: true,
});
runBanditContract(
  "softmax over the prior alone",
  testConfig({ algorithm: "softmax", temperature: 0.5 }, "prior"),
  {
    learns: false,
  },
);

describe("softmax specifics", () => {
  it("puts P(first) in proportion to (score / best score)^(1/τ)", () => {
    const bandit = createBandit(testConfig({ algorithm: "softmax", temperature: 0.5 }, "prior"));
    const rng = createRandom(1);
    const c = bandit.choose(randomContext(rng), arms([0.1, 0.2, 0.4], [1, 1, 1]), rng);
    const w = [1 / 16, 1 / 4, 1];
    const total = w.reduce((s, v) => s + v, 0);
    for (const [i, p] of [...c.probabilities].entries()) expect(p).toBeCloseTo(w[i]! / total, 12);
  });

  it("is independent of the scores' unit, never picks a zero score, and is uniform when all are zero", () => {
    const bandit = createBandit(testConfig({ algorithm: "softmax", temperature: 0.3 }, "prior"));
    const rng = createRandom(2);
    const x = randomContext(rng);
    const a = bandit.choose(x, arms([0.1, 0.2, 0.3], [1, 1, 1]), rng).probabilities;
    const b = bandit.choose(x, arms([0.1, 0.2, 0.3], [100, 100, 100]), rng).probabilities;
    for (const [i, p] of [...a].entries()) expect(b[i]).toBeCloseTo(p, 12);
    expect(bandit.choose(x, arms([0.1, 0, 0.3]), rng).probabilities[1]).toBe(0);
    expect([...bandit.choose(x, arms([0.1, 0.2], [0, 0]), rng).probabilities]).toEqual([0.5, 0.5]);
  });
});
