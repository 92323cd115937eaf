import { describe, expect, it } from "vitest";
import { DEFAULT_CONTEXT_ENCODER } from "../../src/bandit/bandit-context.js";
import { banditConfigFromPolicy, createBandit, fromSnapshot } from "../../src/bandit/create-bandit.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { testConfig } from "./bandit-fixtures.js";

describe("bandit settings from the policy", () => {
  it("reads the shipped policy's algorithm and parameters over the default context", async () => {
    const policy = await loadPolicyFile("data/policies/bank-policy.yaml");
    const config = banditConfigFromPolicy(policy.document.bandit);
    expect(config).toEqual({
      exploration: { algorithm: "thompson", posteriorScale: 0.05, draws: 1024 },
      scorer: "ridge",
      ridge: 30,
      contextDim: DEFAULT_CONTEXT_ENCODER.dim,
      contextSchema: DEFAULT_CONTEXT_ENCODER.schema,
    });
    const linucb = banditConfigFromPolicy({ ...policy.document.bandit, algorithm: "linucb" }, undefined, {
      linucbEpsilon: 0.02,
    });
    expect(linucb.exploration).toEqual({ algorithm: "linucb", alpha: 0.1, epsilon: 0.02 });
    expect(createBandit(linucb).algorithm).toBe("linucb");
  });

  it("refuses to serve a snapshot's arms over another context or scorer", () => {
    const state = createBandit(testConfig({ algorithm: "epsilon_greedy", epsilon: 0.1 })).snapshot();
    expect(() => fromSnapshot(state, { ...state.config, contextSchema: "other" })).toThrow(/context/);
    expect(() => fromSnapshot(state, { ...state.config, scorer: "prior" })).toThrow(/scorer/);
  });
});
