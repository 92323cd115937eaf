/** The direct method's reward model: per-action ridge, cross-fitted, seeded. */
import { describe, expect, it } from "vitest";
import { evaluate, fitRewardModel, type LoggedDecision } from "../../src/ope/index.js";
import { createRandom } from "../../src/random/seeded-random.js";

function linearLog(n: number): LoggedDecision[] {
  const rng = createRandom(2).fork("linear");
  return Array.from({ length: n }, (_, i) => {
    const x = new Float64Array([rng.normal(), rng.normal()]);
    const action = i % 2;
    // Noise-free linear rewards, different per action.
    const reward = action === 0 ? 0.3 + 0.1 * x[0]! : 0.6 - 0.2 * x[1]!;
    return {
      line: i + 1,
      id: `d${i}`,
      x,
      candidates: ["a", "b"],
      action,
      propensity: 0.5,
      reward,
    };
  });
}

describe("fitRewardModel", () => {
  const rows = linearLog(2000);

  it("recovers per-action linear rewards for every candidate, the unlogged one included", () => {
    const model = fitRewardModel(rows, { ridge: 1e-6, folds: 2, seed: 1 });
    rows.slice(0, 50).forEach((r, i) => {
      expect(model.predictions[i]![0]).toBeCloseTo(
        Math.min(Math.max(0.3 + 0.1 * r.x[0]!, lowest), highest),
        6,
      );
      expect(model.predictions[i]![1]).toBeCloseTo(
        Math.min(Math.max(0.6 - 0.2 * r.x[1]!, lowest), highest),
        6,
      );
    });
    expect(model.description).toMatch(/2-fold cross-fitted/);
  });

  it("is deterministic for a seed, and the folds depend on it", () => {
    const noisy = rows.map((r, i) => ({ ...r, reward: r.reward + (i % 3) * 0.1 }));
    const a = fitRewardModel(noisy, { seed: 4 });
    const b = fitRewardModel(noisy, { seed: 4 });
    const c = fitRewardModel(noisy, { seed: 5 });
    expect(a.predictions).toEqual(b.predictions);
    expect(a.predictions).not.toEqual(c.predictions);
  });

  it("predicts the mean reward for an action it never saw, and clips to the observed range", () => {
    const model = fitRewardModel(
      rows.map((r) => ({ ...r, candidates: ["a", "b", "never"] })),
      { folds: 1 },
    );
    const mean = rows.reduce((s, r) => s + r.reward, 0) / rows.length;
    expect(model.predictions[0]![2]).toBeCloseTo(mean, 12);
    for (const p of model.predictions) for (const q of p) expect(q >= lowest && q <= highest).toBe(true);
    expect(model.description).toMatch(/fitted in-sample/);
  });

  const lowest = Math.min(...rows.map((r) => r.reward));
  const highest = Math.max(...rows.map((r) => r.reward));
});

describe("a fitted reward model passed to evaluate", () => {
  it("gives the same report as fitting inside, and must match the log's rows", () => {
    const rows = linearLog(300);
    const target = { kind: "function" as const, name: "a", distribution: () => [1, 0] };
    const inside = evaluate(rows, target, { bootstrap: 20, seed: 3 });
    const shared = evaluate(rows, target, {
      bootstrap: 20,
      seed: 3,
      rewardModel: fitRewardModel(rows, { seed: 3 }),
    });
    expect(shared).toEqual(inside);
    expect(() => evaluate(rows.slice(1), target, { rewardModel: fitRewardModel(rows) })).toThrow(
      "the reward model has 300 rows, the log 299",
    );
  });
});
