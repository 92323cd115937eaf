/**
 * A dataset folder from `npm run data:generate` read for training: a damaged line in any of its
 * files is refused naming the file and line (one line on the CLI, never a stack trace or a row
 * silently built from missing fields).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeDataset } from "../../src/generator/index.js";
import { CsvInputError } from "../../src/training/data/csv-config.js";
import { readGeneratedDir } from "../../src/training/data/generated-source.js";

const root = mkdtempSync(join(tmpdir(), "nba-generated-source-"));
const good = join(root, "good");
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  writeDataset({ customers: 40, days: 20, seed: 5, end: Date.UTC(2026, 0, 1) }, good);
});

/** A copy of the good folder with line `line` (1-based) of `file` replaced. */
function damaged(file: string, line: number, text: string): string {
  const dir = join(root, `${file}-${line}`);
  cpSync(good, dir, { recursive: true });
  const lines = readFileSync(join(dir, file), "utf8").split("\n");
  lines[line - 1] = text;
  writeFileSync(join(dir, file), lines.join("\n"));
  return dir;
}

describe("readGeneratedDir", () => {
  it("reads a folder written by the generator", async () => {
    const input = await readGeneratedDir(good);
    expect(input.customers).toHaveLength(40);
    expect(input.offers.length).toBeGreaterThan(0);
  });

  it("refuses a line that is not JSON or lacks a field training reads, naming the file and line", async () => {
    const cases: [string, number, string, RegExp][] = [
      ["offers.jsonl", 2, '{"customerId": broken', /offers\.jsonl line 2 is not valid JSON$/],
      [
        "customers.jsonl",
        3,
        '{"customerId":"c000003"}',
        /customers\.jsonl line 3: labelTime: Invalid input: expected number/,
      ],
      ["profiles.jsonl", 1, '{"customerId":"c000001","profile":{}}', /profiles\.jsonl line 1: profile\./],
    ];
    for (const [file, line, text, message] of cases) {
      const read = readGeneratedDir(damaged(file, line, text));
      await expect(read).rejects.toThrow(CsvInputError);
      await expect(read).rejects.toThrow(message);
    }
    const offer = JSON.parse(readFileSync(join(good, "offers.jsonl"), "utf8").split("\n")[0]!);
    await expect(
      readGeneratedDir(damaged("offers.jsonl", 1, JSON.stringify({ ...offer, actionId: "teleport" }))),
    ).rejects.toThrow(/offers\.jsonl line 1: actionId: is not an action of the catalogue/);
  });

  it("names a folder that does not exist", async () => {
    await expect(readGeneratedDir(join(root, "nope"))).rejects.toThrow(
      `--data ${join(root, "nope")}: no such folder`,
    );
  });
});
