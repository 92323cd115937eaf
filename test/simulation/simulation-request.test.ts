import { describe, expect, it } from "vitest";
import { simulationRequestSchema } from "../../src/simulation/simulation-request.js";

const issue = (placements: unknown) => {
  const parsed = simulationRequestSchema.safeParse({ policy: "x: 1", placements });
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
};

describe("simulation request", () => {
  it("says a placement's missing channel is required, and names a wrong one", () => {
    expect(issue([{ journey: "cross_sell", step: "browse" }])).toMatch(
      /^is required \(expected one of: web, /,
    );
    expect(issue([{ journey: "cross_sell", step: "browse", channel: "fax" }])).toMatch(
      /^"fax" is not a channel \(expected one of: web, /,
    );
  });
});
