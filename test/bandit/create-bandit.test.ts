import { describe, expect, it } from "vitest";
import { DEFAULT_CONTEXT_ENCODER } from "../../src/bandit/bandit-context.js";
import { banditConfigFromPolicy, createBandit, fromSnapshot } from "../../src/bandit/create-bandit.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { arms, testConfig } from "./bandit-fixtures.js";

describe("bandit settings from the policy", () => {
  it("reads the shipped policy's algorithm and parameters over the default context", async () => {
    const policy = await loadPolicyFile("data/policies/bank-policy.yaml");
    const config = banditConfigFromPolicy(policy.document.bandit);
    expect(config).toEqual({
      // The shipped policy names no draw count: the service's default.
      exploration: { algorithm: "thompson", posteriorScale: 1, draws: 256 },
      scorer: "logistic",
      ridge: 1,
      contextDim: DEFAULT_CONTEXT_ENCODER.dim,
      contextSchema: DEFAULT_CONTEXT_ENCODER.schema,
    });
    const linucb = banditConfigFromPolicy({ ...policy.document.bandit, algorithm: "linucb" }, undefined, {
      linucbEpsilon: 0.02,
    });
    expect(linucb.exploration).toEqual({ algorithm: "linucb", alpha: 1, epsilon: 0.02 });
    expect(createBandit(linucb).algorithm).toBe("linucb");
  });

  it("takes Thompson sampling's draw count from the policy (an override wins)", async () => {
    const policy = await loadPolicyFile("data/policies/bank-policy.yaml");
    const settings = {
      ...policy.document.bandit,
      thompson: { ...policy.document.bandit.thompson, draws: 64 },
    };
    expect(banditConfigFromPolicy(settings).exploration).toMatchObject({ draws: 64 });
    expect(banditConfigFromPolicy(settings, undefined, { draws: 1024 }).exploration).toMatchObject({
      draws: 1024,
    });
    // P(first) is then a count out of 64.
    const bandit = createBandit(banditConfigFromPolicy(settings));
    const x = DEFAULT_CONTEXT_ENCODER.encode({ journey: "cross_sell", step: "browse", channel: "web" });
    const choice = bandit.choose(x, arms([0.02, 0.05, 0.1, 0.04]), createRandom(5));
    for (const p of choice.probabilities) expect(Number.isInteger(p * 64)).toBe(true);
  });

  it("takes LinUCB's epsilon floor from the policy (an override wins), and logs exact probabilities with it", async () => {
    const policy = await loadPolicyFile("data/policies/bank-policy.yaml");
    const settings = {
      ...policy.document.bandit,
      algorithm: "linucb" as const,
      linucb: { alpha: 0.1, ridge: 30, epsilon: 0.05 },
    };
    expect(banditConfigFromPolicy(settings).exploration).toEqual({
      algorithm: "linucb",
      alpha: 0.1,
      epsilon: 0.05,
    });
    expect(banditConfigFromPolicy(settings, undefined, { linucbEpsilon: 0 }).exploration).toMatchObject({
      epsilon: 0,
    });
    const { epsilon: _unset, ...withoutFloor } = settings.linucb;
    expect(banditConfigFromPolicy({ ...settings, linucb: withoutFloor }).exploration).toMatchObject({
      epsilon: 0,
    });
    // Every arm has at least ε/k, and the probabilities are exactly the floor plus the argmax.
    const bandit = createBandit(banditConfigFromPolicy(settings));
    const x = DEFAULT_CONTEXT_ENCODER.encode({ journey: "cross_sell", step: "browse", channel: "web" });
    const choice = bandit.choose(x, arms([0.02, 0.05, 0.1, 0.04]), createRandom(3));
    for (const [i, p] of [0.0125, 0.0125, 0.9625, 0.0125].entries())
      expect(choice.probabilities[i]).toBeCloseTo(p, 12);
  });

  it("refuses to serve a snapshot's arms over another context or scorer", () => {
    const state = createBandit(testConfig({ algorithm: "epsilon_greedy", epsilon: 0.1 })).snapshot();
    expect(() => fromSnapshot(state, { ...state.config, contextSchema: "other" })).toThrow(/context/);
    expect(() => fromSnapshot(state, { ...state.config, scorer: "prior" })).toThrow(/scorer/);
  });
});
