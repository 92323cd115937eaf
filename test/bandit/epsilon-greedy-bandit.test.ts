import { describe, expect, it } from "vitest";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { runBanditContract } from "./bandit.contract.js";
import { arms, randomContext, testConfig } from "./bandit-fixtures.js";

runBanditContract(
  "epsilon-greedy over the ridge mean",
  testConfig({ algorithm: "epsilon_greedy", epsilon: 0.1 }),
  {
    learns: true,
  },
);
runBanditContract(
  "epsilon-greedy over the prior alone",
  testConfig({ algorithm: "epsilon_greedy", epsilon: 0.1 }, "prior"),
  { learns: false },
);

describe("epsilon-greedy specifics", () => {
  it("logs ε/k + (1 − ε) for the greedy arm and ε/k for the others", () => {
    const bandit = createBandit(testConfig({ algorithm: "epsilon_greedy", epsilon: 0.2 }));
    const rng = createRandom(1);
    const c = bandit.choose(randomContext(rng), arms([0.1, 0.3, 0.2, 0.25]), rng);
    expect([...c.probabilities].map((p) => Number(p.toFixed(12)))).toEqual([0.05, 0.85, 0.05, 0.05]);
    expect(c.greedy).toBe(1);
  });

  it("over the prior alone never learns", () => {
    const bandit = createBandit(testConfig({ algorithm: "epsilon_greedy", epsilon: 0.1 }, "prior"));
    const rng = createRandom(2);
    for (let t = 0; t < 100; t++) bandit.learn(randomContext(rng), "a0", 0.1, 1);
    expect(bandit.snapshot().arms).toEqual([]);
    expect(bandit.choose(randomContext(rng), arms([0.1, 0.3]), rng).means[0]).toBe(0.1);
  });
});
