import { describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { banditConfigFromPolicy, createBandit, fromSnapshot } from "../../src/bandit/create-bandit.js";
import { resumeLearner } from "../../src/bandit/learner-resume.js";
import { invertSpd, pack, packedSize, unpack } from "../../src/bandit/linear-algebra.js";
import { LogisticArm, writeLogisticArmFeatures } from "../../src/bandit/logistic-arm.js";
import { MemorySnapshotStore } from "../../src/bandit/memory-snapshot-store.js";
import { ARM_FEATURES } from "../../src/bandit/ridge-arm.js";
import { validatePolicy } from "../../src/policy/index.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { minimalPolicy } from "../policy/policy-fixtures.js";
import { runBanditContract } from "./bandit.contract.js";
import { arms, randomContext, TEST_DIM, testConfig } from "./bandit-fixtures.js";

const thompson = testConfig({ algorithm: "thompson", posteriorScale: 1, draws: 1024 }, "logistic", 1);

runBanditContract("thompson over logistic arms", thompson, { learns: true });
runBanditContract(
  "linucb over logistic arms",
  testConfig({ algorithm: "linucb", alpha: 0.5, epsilon: 0.1 }, "logistic", 1),
  { learns: true },
);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("logistic arms", () => {
  it("keep A⁻¹ equal to the inverse of λI + Σ p(1 − p)·x xᵀ (the Laplace precision)", () => {
    const rng = createRandom(11);
    const arm = LogisticArm.cold(TEST_DIM, 2);
    const d = TEST_DIM + ARM_FEATURES;
    const precision = new Float64Array(d * d);
    for (let i = 0; i < d; i++) precision[i * d + i] = 2;
    const xa = new Float64Array(d);
    const nz = Int32Array.from({ length: d }, (_, i) => i);
    const u = new Float64Array(d);
    for (let t = 0; t < 2_000; t++) {
      xa.set(randomContext(rng));
      writeLogisticArmFeatures(xa, TEST_DIM, 0.1);
      let z = 0;
      for (let i = 0; i < d; i++) z += arm.theta[i]! * xa[i]!;
      const w = sigmoid(z) * (1 - sigmoid(z));
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) precision[i * d + j] = precision[i * d + j]! + w * xa[i]! * xa[j]!;
      arm.update(xa, nz, d, rng.next() < 0.2 ? 1 : 0, u);
    }
    const direct = pack(invertSpd(precision, d), d);
    const kept = arm.aInv;
    expect(kept.length).toBe(packedSize(d));
    for (let k = 0; k < kept.length; k++) expect(kept[k]).toBeCloseTo(direct[k]!, 8);
    expect(unpack(kept, d).every(Number.isFinite)).toBe(true);
  });

  it("learn the log-odds of a logistic world, which a linear model of P(accept) cannot", () => {
    // P(accept) = σ(−3 + 1.5·x0 + 1·x1): effects multiply the odds.
    const truth = (x: Float64Array) => sigmoid(-3 + 1.5 * x[0]! + x[1]!);
    const rng = createRandom(12);
    const world = createRandom(13);
    const logistic = createBandit(thompson);
    const linear = createBandit(
      testConfig({ algorithm: "thompson", posteriorScale: 1, draws: 64 }, "ridge", 1),
    );
    for (let t = 0; t < 20_000; t++) {
      const x = randomContext(rng);
      const r = world.next() < truth(x) ? 1 : 0;
      logistic.learn(x, "a0", 0.1, r);
      linear.learn(x, "a0", 0.1, r);
    }
    let logisticError = 0;
    let linearError = 0;
    for (let t = 0; t < 2_000; t++) {
      const x = randomContext(rng);
      const list = arms([0.1]);
      logisticError += Math.abs(logistic.choose(x, list, rng).means[0]! - truth(x));
      linearError += Math.abs(linear.choose(x, list, rng).means[0]! - truth(x));
    }
    expect(logisticError / 2_000).toBeLessThan(0.01);
    expect(logisticError).toBeLessThan(linearError / 3);
  });

  it("draw Thompson samples on the log-odds scale: every sampled P(accept) is a probability", () => {
    // A cold arm with a wide posterior (large context values, small ridge): a draw on the probability
    // scale would often fall below 0, where the larger multiplier would rank an arm lower.
    const bandit = createBandit(
      testConfig({ algorithm: "thompson", posteriorScale: 1, draws: 256 }, "logistic", 0.05),
    );
    const rng = createRandom(3);
    const set = arms([0.05, 0.3, 0.6], [900, 100, 10]);
    let valuableFirst = 0;
    for (let t = 0; t < 400; t++) {
      const x = Float64Array.from(randomContext(rng), (v) => 4 * v);
      const choice = bandit.choose(x, set, rng);
      for (const e of choice.estimates) {
        expect(e).toBeGreaterThan(0);
        expect(e).toBeLessThan(1);
      }
      if (choice.order[0] === 0) valuableFirst++;
    }
    // Worth 900 when accepted, against at most 100 x 0.3: with this much uncertainty it should often lead.
    expect(valuableFirst).toBeGreaterThan(200);
  });

  it("restore from a snapshot and decide bit for bit like the original", () => {
    const bandit = createBandit(thompson);
    const rng = createRandom(14);
    for (let t = 0; t < 500; t++)
      bandit.learn(randomContext(rng), `a${rng.int(3)}`, 0.1, rng.next() < 0.3 ? 1 : 0);
    const decoded = decodeSnapshot(encodeSnapshot(bandit.snapshot(), 1).text);
    expect(decoded.state.config.scorer).toBe("logistic");
    const restored = fromSnapshot(decoded.state);
    const a = createRandom(15);
    const b = createRandom(15);
    for (let t = 0; t < 50; t++) {
      const x = randomContext(rng);
      const list = arms([0.1, 0.12, 0.08], [1, 1.2, 0.9]);
      const one = bandit.choose(x, list, a);
      const two = restored.choose(x, list, b);
      expect(two.order).toEqual(one.order);
      expect([...two.probabilities]).toEqual([...one.probabilities]);
      expect([...two.means]).toEqual([...one.means]);
    }
  });

  it("are never served from a ridge snapshot, nor the other way round", () => {
    const ridge = createBandit({ ...thompson, scorer: "ridge" });
    ridge.learn(randomContext(createRandom(16)), "a0", 0.1, 1);
    expect(() => fromSnapshot(ridge.snapshot(), thompson)).toThrow(/scorer ridge does not match logistic/);
  });

  it("start a learner cold when the policy switches the arm model, and resume when it does not", async () => {
    const ridgeConfig = { ...thompson, scorer: "ridge" as const };
    const ridge = createBandit(ridgeConfig);
    ridge.learn(randomContext(createRandom(17)), "a0", 0.1, 1);
    const store = new MemorySnapshotStore();
    await store.publish(encodeSnapshot(ridge.snapshot(), 5));
    const switched = await resumeLearner(store, thompson.contextSchema, () => thompson);
    expect(switched.resumedFrom).toBeUndefined();
    expect(switched.discarded).toMatch(/^5-/);
    expect(switched.config.scorer).toBe("logistic");
    const same = await resumeLearner(store, thompson.contextSchema, () => ridgeConfig);
    expect(same.resumedFrom).toMatch(/^5-/);
    expect(same.config.scorer).toBe("ridge");
  });

  it("come from the policy's bandit.model; omitted stays linear and keeps the policy's version", () => {
    const base = minimalPolicy();
    const plain = validatePolicy(base);
    const spelled = validatePolicy({ ...base, bandit: { model: "logistic" } });
    if (!plain.ok || !spelled.ok) throw new Error("test policies should be valid");
    expect(banditConfigFromPolicy(plain.policy.document.bandit).scorer).toBe("ridge");
    expect(banditConfigFromPolicy(spelled.policy.document.bandit).scorer).toBe("logistic");
    expect(plain.policy.document.bandit).not.toHaveProperty("model");
    expect(validatePolicy({ ...base, bandit: { model: "probit" } }).ok).toBe(false);
  });
});
