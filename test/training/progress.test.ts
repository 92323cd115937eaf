/**
 * Progress while the data is built: the loader reports generating customers, then building
 * features, and the training progress display shows both (one line per tenth off a terminal).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { epochProgress } from "../../src/training/cli/progress.js";
import { loadTrainingData } from "../../src/training/data/load-data.js";

afterEach(() => vi.restoreAllMocks());

describe("data progress", () => {
  it("the loader reports customers generated, then feature rows built, each up to its total", async () => {
    const seen: { phase: string; done: number; total: number }[] = [];
    const set = await loadTrainingData(
      { kind: "sample", task: "propensity", options: { customers: 1200, days: 30, seed: 3 } },
      (p) => seen.push({ ...p }),
    );
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(["simulate", "features"]);
    expect(seen.filter((p) => p.phase === "simulate").at(-1)).toMatchObject({ done: 1200, total: 1200 });
    const rows = set.labels.length;
    expect(seen.at(-1)).toEqual({ phase: "features", done: rows, total: rows });
  });

  it("is shown by the training progress display, a line per tenth when stderr is not a terminal", () => {
    let stderr = "";
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const progress = epochProgress("auto");
    for (let done = 1; done <= 20; done++) progress.onData({ phase: "features", done, total: 20 });
    progress.stop();
    const lines = stderr.trim().split("\n");
    if (process.stderr.isTTY) return; // a bar on a terminal; the line format is what CI logs show
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe("building features 2/20 rows");
    expect(lines.at(-1)).toBe("building features 20/20 rows");
    stderr = "";
    const quiet = epochProgress("none");
    quiet.onData({ phase: "simulate", done: 1, total: 1 });
    expect(stderr).toBe("");
  });
});
