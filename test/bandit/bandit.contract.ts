/**
 * The contract every bandit configuration passes (run by one test file per algorithm). Uses a small
 * context dimension; the snapshot round trip also runs at the default encoder's dimension.
 */
import { describe, expect, it } from "vitest";
import type { Arm, Bandit, BanditConfig } from "../../src/bandit/bandit.js";
import { DEFAULT_CONTEXT_ENCODER } from "../../src/bandit/bandit-context.js";
import { decodeSnapshot, encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { createBandit, fromSnapshot } from "../../src/bandit/create-bandit.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { arms, chiSquareBound, randomContext, TEST_DIM } from "./bandit-fixtures.js";

export interface BanditContractOptions {
  /** Whether the scorer learns (the prior-only scorer does not). */
  readonly learns: boolean;
}

function train(bandit: Bandit, seed: number, n: number, dim = TEST_DIM): void {
  const rng = createRandom(seed);
  for (let t = 0; t < n; t++) {
    const a = rng.int(5);
    bandit.learn(randomContext(rng, dim), `a${a}`, 0.1 + 0.05 * a, rng.next() < 0.1 + 0.1 * a ? 1 : 0);
  }
}

/** Chooses `n` times with the same context and arms; returns first-arm counts and summed logged P. */
function frequencies(
  bandit: Bandit,
  x: Float64Array,
  list: Arm[],
  n: number,
  seed: number,
  groupLimits?: Record<string, number>,
) {
  const rng = createRandom(seed);
  const observed = new Float64Array(list.length);
  const expected = new Float64Array(list.length);
  for (let t = 0; t < n; t++) {
    const c = bandit.choose(x, list, rng, groupLimits ? { groupLimits } : {});
    observed[c.order[0]!]!++;
    for (let a = 0; a < list.length; a++) expected[a] = expected[a]! + c.probabilities[a]!;
  }
  return { observed, expected };
}

function expectMatches(observed: Float64Array, expected: Float64Array): void {
  let stat = 0;
  let cells = 0;
  for (let a = 0; a < observed.length; a++) {
    if (expected[a]! < 5) {
      // Too rare for chi-square: the count must still be small.
      expect(observed[a]).toBeLessThanOrEqual(15);
      continue;
    }
    stat += (observed[a]! - expected[a]!) ** 2 / expected[a]!;
    cells++;
  }
  if (cells <= 1) {
    for (let a = 0; a < observed.length; a++)
      if (expected[a]! >= 5) expect(observed[a]).toBeCloseTo(expected[a]!, 6);
    return;
  }
  expect(stat).toBeLessThan(chiSquareBound(cells - 1));
}

export function runBanditContract(name: string, config: BanditConfig, options: BanditContractOptions): void {
  describe(`${name} bandit contract`, () => {
    it("returns a distribution over the arms and an order that is a permutation", () => {
      const bandit = createBandit(config);
      train(bandit, 1, 400);
      const rng = createRandom(2);
      for (let t = 0; t < 300; t++) {
        const k = 1 + rng.int(12);
        const list: Arm[] = Array.from({ length: k }, (_, i) => ({
          actionId: `a${rng.int(7)}-${i}`.replace(/-\d+$/, i % 2 ? "" : `-${i}`),
          prior: [0, 1, rng.next()][rng.int(3)]!,
          multiplier: rng.next() < 0.1 ? 0 : rng.next() * 500,
          ...(rng.next() < 0.3 ? { explore: { enabled: rng.next() < 0.5, maxProbability: rng.next() } } : {}),
          group: `g${rng.int(3)}`,
        }));
        const limits = rng.next() < 0.3 ? { g0: rng.next() * 0.2, g1: 0 } : undefined;
        const c = bandit.choose(randomContext(rng), list, rng, limits ? { groupLimits: limits } : {});
        const sum = c.probabilities.reduce((s, p) => s + p, 0);
        expect(sum).toBeCloseTo(1, 9);
        for (const p of c.probabilities) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect([...c.order].sort((a, b) => a - b)).toEqual(list.map((_, i) => i));
        expect(c.probabilities[c.order[0]!]).toBeGreaterThan(0);
        expect(c.explored).toBe(c.order[0] !== c.greedy);
        for (let a = 0; a < k; a++) expect(c.scores[a]).toBeCloseTo(list[a]!.multiplier * c.estimates[a]!, 9);
      }
    });

    it("makes the same choices from the same seed", () => {
      const run = () => {
        const bandit = createBandit(config);
        train(bandit, 3, 200);
        const rng = createRandom(4);
        return Array.from({ length: 100 }, () => {
          const c = bandit.choose(randomContext(rng), arms([0.1, 0.2, 0.15, 0.3], [3, 1, 2, 1]), rng);
          return [c.order.join(","), [...c.probabilities].join(",")].join("|");
        });
      };
      expect(run()).toEqual(run());
    });

    it("scores an arm with no data by its prior", () => {
      const bandit = createBandit(config);
      const rng = createRandom(5);
      const priors = [0.02, 0.3, 0.11, 0.7];
      for (let t = 0; t < 20; t++) {
        const c = bandit.choose(randomContext(rng), arms(priors, [1, 2, 3, 4]), rng);
        for (const [i, m] of [...c.means].entries()) expect(m).toBeCloseTo(priors[i]!, 12);
        expect(c.greedy).toBe(3);
      }
      train(bandit, 6, 300); // arms a0..a4 have data; a9 never had any
      const c = bandit.choose(randomContext(rng), [{ actionId: "a9", prior: 0.42, multiplier: 1 }], rng);
      expect(c.means[0]).toBeCloseTo(0.42, 12);
      expect(c.probabilities[0]).toBe(1);
    });

    it.runIf(options.learns)("moves its choices toward the best arm of a simple problem", () => {
      const bandit = createBandit(config);
      const rng = createRandom(7);
      const world = createRandom(8);
      const list = arms([0.2, 0.2, 0.2, 0.2]);
      const best = (x: Float64Array) => (x[0]! > 0 ? 2 : 1);
      const cold = createBandit(config);
      const coldRng = createRandom(9);
      const trainedPicks: number[] = [];
      const coldPicks: number[] = [];
      for (let t = 0; t < 3000; t++) {
        const x = randomContext(rng);
        const a = bandit.choose(x, list, rng).order[0]!;
        const p = a === best(x) ? 0.6 : 0.1;
        bandit.learn(x, `a${a}`, 0.2, world.next() < p ? 1 : 0);
        if (t >= 2500) {
          trainedPicks.push(a === best(x) ? 1 : 0);
          coldPicks.push(cold.choose(x, list, coldRng).order[0] === best(x) ? 1 : 0);
        }
      }
      const share = (v: number[]) => v.reduce((s, b) => s + b, 0) / v.length;
      expect(share(trainedPicks)).toBeGreaterThan(0.75);
      expect(share(trainedPicks)).toBeGreaterThan(share(coldPicks) + 0.3);
    });

    it("logs probabilities that match the empirical first-choice frequencies", () => {
      const bandit = createBandit(config);
      train(bandit, 9, 300);
      const x = randomContext(createRandom(10));
      const list = arms([0.2, 0.25, 0.3, 0.22, 0.28], [1.2, 1, 0.9, 1.1, 1]);
      const { observed, expected } = frequencies(bandit, x, list, 20_000, 11);
      expectMatches(observed, expected);
    });

    it("respects exploration limits, and still logs exactly what it samples", () => {
      const bandit = createBandit(config);
      train(bandit, 12, 300);
      const x = randomContext(createRandom(13));
      const list: Arm[] = [
        { actionId: "a0", prior: 0.3, multiplier: 1, group: "cards" },
        {
          actionId: "a1",
          prior: 0.28,
          multiplier: 1,
          group: "cards",
          explore: { enabled: true, maxProbability: 0.04 },
        },
        {
          actionId: "a2",
          prior: 0.29,
          multiplier: 1,
          group: "loans",
          explore: { enabled: false, maxProbability: 1 },
        },
        { actionId: "a3", prior: 0.27, multiplier: 1, group: "loans" },
        { actionId: "a4", prior: 0.26, multiplier: 1, group: "loans" },
      ];
      const limits = { loans: 0.05 };
      const rng = createRandom(14);
      for (let t = 0; t < 200; t++) {
        const c = bandit.choose(randomContext(rng), list, rng, { groupLimits: limits });
        const g = c.greedy;
        if (g !== 1) expect(c.probabilities[1]).toBeLessThanOrEqual(0.04 + 1e-12);
        if (g !== 2) expect(c.probabilities[2]).toBe(0);
        const loans = [2, 3, 4].filter((a) => a !== g).reduce((s, a) => s + c.probabilities[a]!, 0);
        expect(loans).toBeLessThanOrEqual(0.05 + 1e-12);
      }
      const { observed, expected } = frequencies(bandit, x, list, 20_000, 15, limits);
      expectMatches(observed, expected);
    });

    it("puts the greedy arm first at its posterior mean when an exploration limit holds back the draw's choice", () => {
      const bandit = createBandit(config);
      train(bandit, 12, 300);
      const list: Arm[] = [
        { actionId: "a0", prior: 0.3, multiplier: 1 },
        { actionId: "a1", prior: 0.29, multiplier: 1, explore: { enabled: true, maxProbability: 0.01 } },
        { actionId: "a2", prior: 0.28, multiplier: 1, explore: { enabled: true, maxProbability: 0.01 } },
      ];
      const rng = createRandom(16);
      let overrules = 0;
      for (let t = 0; t < 400; t++) {
        const c = bandit.choose(randomContext(rng), list, rng);
        if (c.overruled === undefined) continue;
        overrules++;
        expect(c.overruled).not.toBe(c.greedy);
        expect(c.order[0]).toBe(c.greedy);
        expect(c.explored).toBe(false);
        expect(c.estimates[c.greedy]).toBe(c.means[c.greedy]);
        expect(c.scores[c.greedy]).toBeCloseTo(list[c.greedy]!.multiplier * c.means[c.greedy]!, 12);
      }
      expect(overrules).toBeGreaterThan(0);
    });

    it("gives identical choices after a snapshot round trip", () => {
      for (const dim of [TEST_DIM, DEFAULT_CONTEXT_ENCODER.dim]) {
        const original = createBandit({ ...config, contextDim: dim });
        train(original, 16, 300, dim);
        const restored = fromSnapshot(decodeSnapshot(encodeSnapshot(original.snapshot(), 1).text).state);
        const r1 = createRandom(17);
        const r2 = createRandom(17);
        const ctx = createRandom(18);
        for (let t = 0; t < 50; t++) {
          const x = randomContext(ctx, dim);
          const list = arms([0.1, 0.2, 0.15, 0.3, 0.05], [3, 1, 2, 1, 9]);
          const a = original.choose(x, list, r1);
          const b = restored.choose(x, list, r2);
          expect(b.order).toEqual(a.order);
          expect([...b.probabilities]).toEqual([...a.probabilities]);
          expect([...b.estimates]).toEqual([...a.estimates]);
        }
      }
    });
  });
}
