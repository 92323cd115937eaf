import { describe, expect, it } from "vitest";
import type { Arm, Bandit } from "../../src/bandit/bandit.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { createRandom, type Random } from "../../src/random/seeded-random.js";
import { runBanditContract } from "./bandit.contract.js";
import { arms, randomContext, testConfig } from "./bandit-fixtures.js";

runBanditContract("thompson", testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 1024 }), {
  learns: true,
});
runBanditContract(
  "thompson, 64 draws",
  testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 64 }),
  {
    learns: true,
  },
);

/** The logged P(first) of each arm, averaged over `decisions` decisions in one context. */
function meanLogged(
  bandit: Bandit,
  x: Float64Array,
  list: Arm[],
  rng: Random,
  decisions = 400,
): Float64Array {
  const logged = new Float64Array(list.length);
  for (let t = 0; t < decisions; t++) {
    const d = bandit.choose(x, list, rng);
    for (let a = 0; a < list.length; a++) logged[a] = logged[a]! + d.probabilities[a]! / decisions;
  }
  return logged;
}

describe("thompson sampling specifics", () => {
  it("estimates P(first) close to idealised Thompson sampling (within a few standard errors)", () => {
    const bandit = createBandit(testConfig({ algorithm: "thompson", posteriorScale: 0.5, draws: 1024 }));
    const rng = createRandom(1);
    const x = randomContext(rng);
    const list = arms([0.2, 0.25, 0.3, 0.22], [1, 1, 1, 1]);
    // Idealised Thompson sampling: 200,000 independent draws of the same per-arm score distributions.
    const c = bandit.choose(x, list, rng);
    const ideal = new Float64Array(list.length);
    const n = 200_000;
    const draws = createRandom(2);
    const meanScore = c.means;
    // A cold arm's posterior sd is v·sqrt(x_aᵀx_a/λ) with x_a = [x, p₀, logit(p₀)/8, 1] and λ = 1.
    const xa = (prior: number) => [
      ...x,
      prior,
      Math.max(-8, Math.min(8, Math.log((prior + 1e-6) / (1 - prior + 1e-6)))) / 8,
      1,
    ];
    const spread = list.map((a) => 0.5 * Math.sqrt(xa(a.prior).reduce((s, v) => s + v * v, 0)));
    for (let t = 0; t < n; t++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let a = 0; a < list.length; a++) {
        const v = meanScore[a]! + spread[a]! * draws.normal();
        if (v > best) {
          best = v;
          arg = a;
        }
      }
      ideal[arg]!++;
    }
    const logged = meanLogged(bandit, x, list, rng);
    for (let a = 0; a < list.length; a++) {
      const p = ideal[a]! / n;
      // Each decision's estimate has sd sqrt(p(1-p)/1024); the mean of 400 is far tighter.
      expect(Math.abs(logged[a]! - p)).toBeLessThan(0.01);
      const single = bandit.choose(x, list, rng).probabilities[a]!;
      expect(Math.abs(single - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / 1024) + 1e-9);
    }
  });

  it("uses the posterior draw it logged: estimates are mean + a draw, scored by the multiplier", () => {
    const bandit = createBandit(testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 256 }));
    const rng = createRandom(3);
    const c = bandit.choose(randomContext(rng), arms([0.2, 0.3], [2, 1]), rng);
    expect(c.estimates[0]).not.toBe(c.means[0]);
    expect(c.scores[c.order[0]!]).toBeGreaterThanOrEqual(c.scores[c.order[1]!]!);
  });

  it("handles more arms than the normal table has columns (independent draws per arm)", () => {
    const bandit = createBandit(testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 512 }));
    const rng = createRandom(4);
    const list = arms(Array.from({ length: 70 }, () => 0.2));
    const c = bandit.choose(randomContext(rng), list, rng);
    expect(c.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    // Symmetric arms: no arm should take much more than its share.
    for (const p of c.probabilities) expect(p).toBeLessThan(0.06);
  });

  it("over logistic arms, estimates P(first) of idealised log-odds Thompson sampling", () => {
    const v = 0.5;
    const bandit = createBandit(
      testConfig({ algorithm: "thompson", posteriorScale: v, draws: 1024 }, "logistic", 1),
    );
    const rng = createRandom(6);
    const x = randomContext(rng);
    const list = arms([0.2, 0.1, 0.3, 0.15], [40, 100, 25, 60]);
    // A cold logistic arm: log-odds N(logit(p₀), v²·x_aᵀx_a/λ) with x_a = [x, p₀, logit(p₀)/8, 1], λ = 1;
    // the score is multiplier·σ(draw).
    const logit = (p: number) => Math.log(p / (1 - p));
    const sd = list.map(
      (a) => v * Math.sqrt([...x, a.prior, logit(a.prior) / 8, 1].reduce((s, t) => s + t * t, 0)),
    );
    const ideal = new Float64Array(list.length);
    const n = 200_000;
    const draws = createRandom(7);
    for (let t = 0; t < n; t++) {
      let best = Number.NEGATIVE_INFINITY;
      let arg = 0;
      list.forEach((a, i) => {
        const score = a.multiplier / (1 + Math.exp(-(logit(a.prior) + sd[i]! * draws.normal())));
        if (score > best) {
          best = score;
          arg = i;
        }
      });
      ideal[arg]!++;
    }
    const logged = meanLogged(bandit, x, list, rng);
    for (let a = 0; a < list.length; a++) expect(Math.abs(logged[a]! - ideal[a]! / n)).toBeLessThan(0.01);
  });

  it("over logistic arms, draws probabilities on the fresh-normal path too (more arms than the table holds)", () => {
    const bandit = createBandit(
      testConfig({ algorithm: "thompson", posteriorScale: 1, draws: 1024 }, "logistic", 0.1),
    );
    const rng = createRandom(8);
    const list = arms(Array.from({ length: 140 }, () => 0.2));
    const c = bandit.choose(randomContext(rng), list, rng);
    expect(c.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    for (const e of c.estimates) {
      expect(e).toBeGreaterThan(0);
      expect(e).toBeLessThan(1);
    }
  });
});
