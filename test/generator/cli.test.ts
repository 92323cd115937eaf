import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/generator/cli-args.js";
import {
  DATASET_FILES,
  DEFAULT_END,
  encodeEvent,
  generateSample,
  writeDataset,
} from "../../src/generator/index.js";
import { runScript, type ScriptRun } from "../support/run-script.js";

type Run = ScriptRun;
const cli = (...args: string[]): Promise<Run> => runScript("scripts/generate-data.ts", ...args);

const dir = mkdtempSync(join(tmpdir(), "generator-cli-"));
let run: Run;
let bad: Run;
let help: Run;
let notDir: Run;

beforeAll(async () => {
  // Spawning tsx dominates the cost, so only three processes, started at once; the other
  // argument errors are checked in-process through the same parser.
  writeFileSync(join(dir, "a-file"), "");
  [run, bad, help, notDir] = await Promise.all([
    cli("--customers", "150", "--days", "40", "--seed", "3", "--out", join(dir, "cli")),
    cli("--customers", "ten", "--out", join(dir, "x")),
    cli("--help"),
    cli("--customers", "5", "--out", join(dir, "a-file")),
  ]);
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("scripts/generate-data.ts", () => {
  it("rejects bad arguments with one clear line, the usage, and exit code 2", () => {
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n")[0]).toBe('generate-data: --customers must be a whole number (got "ten")');
    expect(bad.stderr).toContain("Usage: npm run data:generate");
    expect(bad.stdout).toBe("");
    const error = (...argv: string[]) => {
      const parsed = parseCliArgs(argv);
      return parsed.kind === "error" ? parsed.message : parsed.kind;
    };
    expect(error("--customers", "10")).toBe("--out is required");
    expect(error("--out", "d")).toBe("--customers is required");
    expect(error("--customers", "10", "--out", "d", "--end", "yesterday")).toMatch(
      /^--end must be an ISO-8601 date-time/,
    );
    expect(error("--customers", "10", "--out", "d", "--seed=-1")).toBe(
      '--seed must be a whole number (got "-1")',
    );
    expect(error("--customers", "10", "--out", "d", "--seed", "4294967296")).toBe(
      '--seed must be at most 4294967295 (got "4294967296")',
    );
    expect(error("--customers", "10", "--out", "d", "--days", "0")).toBe(
      '--days must be at least 1 (got "0")',
    );
    expect(error("--customers", "10", "--out", "d", "--colour", "red")).toMatch(/^Unknown option '--colour'/);
    expect(error("--customers", "10", "--out", "d", "extra")).toMatch(/^Unexpected argument 'extra'/);
    expect(parseCliArgs(["--customers", "10", "--out", "d"])).toEqual({
      kind: "run",
      args: { customers: 10, days: 90, seed: 1, out: "d", end: DEFAULT_END },
    });
  });

  it("answers an --out it cannot write (a file) with one line naming it, exit 1, no stack trace", () => {
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(
      new RegExp(`^generate-data: cannot write --out ${join(dir, "a-file")}: ENOTDIR: not a directory`),
    );
    expect(notDir.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints usage on --help and exits 0", () => {
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run data:generate -- --customers N --out DIR/);
  });

  it("writes the same bytes as the library, with hashes and counts in the manifest", () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^generated 150 customers, \d+ events, \d+ offers .* in [\d.]+s -> /m);
    writeDataset({ customers: 150, days: 40, seed: 3, end: DEFAULT_END }, join(dir, "lib"));
    for (const file of [...DATASET_FILES, "manifest.json"]) {
      expect(readFileSync(join(dir, "cli", file)).equals(readFileSync(join(dir, "lib", file)))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(dir, "cli", "manifest.json"), "utf8"));
    expect(manifest.args).toEqual({ customers: 150, days: 40, seed: 3, end: "2026-01-01T00:00:00.000Z" });
    expect(manifest.window.labelTime).toBe("2025-12-02T00:00:00.000Z");
    for (const file of DATASET_FILES) {
      const bytes = readFileSync(join(dir, "cli", file));
      expect(manifest.files[file].sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(manifest.files[file].lines).toBe(bytes.toString("utf8").split("\n").length - 1);
    }
    expect(manifest.counts.customers).toBe(150);
    expect(readdirSync(join(dir, "cli")).sort()).toEqual([...DATASET_FILES, "manifest.json"].sort());
  });

  it("writes files that match the in-memory sample line for line", () => {
    const sample = generateSample({ customers: 150, days: 40, seed: 3, end: DEFAULT_END });
    const lines = (file: string) =>
      readFileSync(join(dir, "cli", file), "utf8")
        .trimEnd()
        .split("\n");
    expect(lines("events.jsonl")).toEqual(sample.events.map(encodeEvent));
    expect(lines("offers.jsonl")).toEqual(sample.offers.map((o) => JSON.stringify(o)));
    expect(lines("profiles.jsonl")).toEqual(sample.profiles.map((p) => JSON.stringify(p)));
    expect(lines("customers.jsonl")).toEqual(sample.customers.map((c) => JSON.stringify(c)));
  });
});
