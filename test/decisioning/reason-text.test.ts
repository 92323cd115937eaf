import { describe, expect, it } from "vitest";
import { estimateText } from "../../src/decisioning/reason-text.js";

describe("estimateText", () => {
  it("names a Thompson draw as sampled and shows the posterior centre beside it", () => {
    expect(estimateText("thompson", 0.82374, 0.25351)).toBe(
      "sampled P(accept) 0.8237 (posterior centre 0.2535)",
    );
  });

  it("names LinUCB's estimate as an upper bound", () => {
    expect(estimateText("linucb", 0.41, 0.3)).toBe("upper-bound P(accept) 0.41 (posterior centre 0.3)");
  });

  it("shows one number when the estimate is the centre to the shown precision", () => {
    // An action that does not explore is ranked at its centre to the σ table's 1e-6.
    expect(estimateText("thompson", 0.2535004, 0.2534996)).toBe("P(accept) 0.2535");
    expect(estimateText("linucb", 0.3, 0.3)).toBe("P(accept) 0.3");
  });

  it("shows one number for explorers that rank by the estimate itself", () => {
    expect(estimateText("epsilon_greedy", 0.5, 0.4)).toBe("P(accept) 0.5");
  });
});
