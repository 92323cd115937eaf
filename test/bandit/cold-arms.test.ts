/**
 * A cold arm's posterior width comes from a sum of squares (its A⁻¹ is I/λ), not the packed quadratic
 * form: it must give the same bits as an arm stored with exactly the cold state, which takes the
 * general path.
 */
import { describe, expect, it } from "vitest";
import { LogisticArm } from "../../src/bandit/logistic-arm.js";
import { RidgeArm } from "../../src/bandit/ridge-arm.js";
import { LogisticScorer, RidgeScorer } from "../../src/bandit/ridge-scorer.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { randomContext, TEST_DIM } from "./bandit-fixtures.js";

describe("cold arms", () => {
  for (const [name, Scorer, cold] of [
    [
      "logistic",
      LogisticScorer,
      (d: number, l: number) => {
        const a = LogisticArm.cold(d, l);
        return { aInv: a.aInv, b: a.theta };
      },
    ],
    [
      "ridge",
      RidgeScorer,
      (d: number, l: number) => {
        const a = RidgeArm.cold(d, l);
        return { aInv: a.aInv, b: a.b };
      },
    ],
  ] as const) {
    it(`${name}: an unseen action scores bit for bit like a stored arm in the cold state`, () => {
      const ridge = 3;
      const state = cold(TEST_DIM, ridge);
      const scorer = new Scorer(TEST_DIM, ridge, [
        { actionId: "stored", count: 0, rewardSum: 0, aInv: state.aInv, b: state.b },
      ]);
      const rng = createRandom(5);
      for (let t = 0; t < 50; t++) {
        const x = randomContext(rng);
        const prior = 0.01 + 0.5 * rng.next();
        const arms = [
          { actionId: "stored", prior, multiplier: 1 },
          { actionId: "unseen", prior, multiplier: 1 },
        ];
        const mean = new Float64Array(2);
        const width = new Float64Array(2);
        scorer.estimate(x, arms, mean, width);
        expect(width[1]).toBeGreaterThan(0);
        expect(Object.is(mean[1], mean[0])).toBe(true);
        expect(Object.is(width[1], width[0])).toBe(true);
      }
    });
  }
});
