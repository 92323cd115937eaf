import { describe, expect, it } from "vitest";
import { limitExploration } from "../../src/bandit/exploration-limits.js";

const run = (
  probabilities: number[],
  caps: number[],
  greedy: number,
  groups?: string[],
  groupLimits?: Record<string, number>,
) => {
  const out = new Float64Array(probabilities.length);
  limitExploration(
    {
      k: probabilities.length,
      greedy,
      probabilities: Float64Array.from(probabilities),
      caps: Float64Array.from(caps),
      ...(groups ? { groups } : {}),
      ...(groupLimits ? { groupLimits } : {}),
    },
    out,
  );
  return [...out].map((v) => Number(v.toFixed(12)));
};

describe("exploration limits", () => {
  it("leaves an unconstrained distribution alone", () => {
    expect(run([0.5, 0.3, 0.2], [1, 1, 1], 0)).toEqual([0.5, 0.3, 0.2]);
  });

  it("caps non-greedy arms and gives the excess to the greedy arm", () => {
    expect(run([0.5, 0.3, 0.2], [1, 0.1, 1], 0)).toEqual([0.7, 0.1, 0.2]);
    // The greedy arm itself is never capped: being greedy is not exploring.
    expect(run([0.5, 0.3, 0.2], [0, 1, 1], 0)).toEqual([0.5, 0.3, 0.2]);
  });

  it("treats disabled exploration as a cap of 0", () => {
    expect(run([0.2, 0.5, 0.3], [1, 0, 1], 2)).toEqual([0.2, 0, 0.8]);
  });

  it("scales a group's non-greedy arms down to the group's limit", () => {
    expect(run([0.4, 0.3, 0.2, 0.1], [1, 1, 1, 1], 0, ["a", "b", "b", "a"], { b: 0.1 })).toEqual([
      0.8, 0.06, 0.04, 0.1,
    ]);
    // The greedy arm's own group only limits the group's other arms.
    expect(run([0.4, 0.3, 0.2, 0.1], [1, 1, 1, 1], 1, ["a", "b", "b", "a"], { b: 0.1 })).toEqual([
      0.4, 0.4, 0.1, 0.1,
    ]);
  });
});
