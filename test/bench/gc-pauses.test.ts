import { describe, expect, it } from "vitest";
import { gcPhase, gcTotals } from "../../bench/support/gc-pauses.js";

const scrape = (minor: [number, number], major: [number, number]) => `
# TYPE nba_nodejs_gc_duration_seconds histogram
nba_nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 3
nba_nodejs_gc_duration_seconds_sum{kind="minor"} ${minor[1]}
nba_nodejs_gc_duration_seconds_count{kind="minor"} ${minor[0]}
nba_nodejs_gc_duration_seconds_sum{kind="major"} ${major[1]}
nba_nodejs_gc_duration_seconds_count{kind="major"} ${major[0]}
nba_http_requests_total{method="POST"} 12
`;

describe("bench:decide's GC pauses from /metrics", () => {
  it("reads the sums and counts by kind", () => {
    const totals = gcTotals(scrape([4, 0.02], [1, 0.011]));
    expect(totals.byKind.get("minor")).toEqual({ count: 4, seconds: 0.02 });
    expect(totals.byKind.get("major")).toEqual({ count: 1, seconds: 0.011 });
  });

  it("reports a phase as the difference of two readings", () => {
    const before = gcTotals(scrape([4, 0.02], [1, 0.011]));
    const after = gcTotals(scrape([14, 0.07], [3, 0.031]));
    const phase = gcPhase(before, after, 2);
    expect(phase.minorCount).toBe(10);
    expect(phase.minorMeanMs).toBeCloseTo(5, 9);
    expect(phase.majorCount).toBe(2);
    // (0.05 + 0.02) s of pauses over 2 s
    expect(phase.pauseMsPerSecond).toBeCloseTo(35, 9);
  });

  it("is zero when the service exports no GC metric", () => {
    const none = gcTotals("nba_http_requests_total 3\n");
    expect(gcPhase(none, none, 1)).toEqual({
      minorCount: 0,
      minorMeanMs: 0,
      majorCount: 0,
      pauseMsPerSecond: 0,
    });
  });
});
