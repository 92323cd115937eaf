/**
 * The churn-row files the churn-ceiling scripts share (bench/reference/churn-ceiling/README.md).
 *
 * A data folder holds three parts, each a range of customer indices of the bench's generator
 * (seed 42, 90 days, DEFAULT_END):
 *
 *   bench.bin  customers [0, bench)      the bench's population (its 80/20 split gives the test rows)
 *   extra.bin  customers [bench, train)  extra training rows, used in order beyond the bench's own
 *   big.bin    customers [train, big)    the independent big test population
 *
 * Each file is a run of float64 rows (little-endian, the machine's order) of ROW_WIDTH values:
 * customer index, label (0/1), the generator's true churn probability, label time (ms), then the
 * FEATURE_PLAN features in `FEATURE_PLAN.names` order. `<part>.json` is written when the part is
 * complete and records its range and row count.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { FEATURE_PLAN } from "../../../src/features/feature-plan.js";

export const PARTS = ["bench", "extra", "big"] as const;
export type Part = (typeof PARTS)[number];

/** Leading columns of a row, before the features. */
export const COL = { customer: 0, label: 1, truth: 2, time: 3, features: 4 } as const;
export const ROW_WIDTH = COL.features + FEATURE_PLAN.names.length;

/** What `<part>.json` records. */
export interface PartInfo {
  readonly part: Part;
  readonly from: number;
  readonly to: number;
  readonly rows: number;
  readonly width: number;
  readonly seconds: number;
}

export const partFile = (dir: string, part: Part) => join(dir, `${part}.bin`);
export const partInfoFile = (dir: string, part: Part) => join(dir, `${part}.json`);

/** The part's record, or a clear error when it was not generated (or not to completion). */
export function partInfo(dir: string, part: Part): PartInfo {
  const file = partInfoFile(dir, part);
  if (!existsSync(file))
    fail(
      `${file} is missing: generate the ${part} part first ` +
        `(npx tsx bench/reference/churn-ceiling/generate.ts --dir ${dir} --parts ${part})`,
    );
  const info = JSON.parse(readFileSync(file, "utf8")) as PartInfo;
  if (info.width !== ROW_WIDTH)
    fail(`${file}: rows of ${info.width} values, this code writes ${ROW_WIDTH}; regenerate it`);
  return info;
}

/** Rows of a part, in file order, up to `limit` rows. */
export function readRows(dir: string, part: Part, limit = Number.POSITIVE_INFINITY): Float64Array[] {
  partInfo(dir, part);
  const fd = openSync(partFile(dir, part), "r");
  try {
    const bytesPerRow = ROW_WIDTH * 8;
    const total = fstatSync(fd).size / bytesPerRow;
    if (!Number.isInteger(total)) fail(`${partFile(dir, part)}: size is not a whole number of rows`);
    const chunk = 20_000;
    const buf = new Float64Array(chunk * ROW_WIDTH);
    const out: Float64Array[] = [];
    for (let start = 0; start < total && out.length < limit; start += chunk) {
      const n = Math.min(chunk, total - start);
      readSync(fd, new Uint8Array(buf.buffer, 0, n * bytesPerRow), 0, n * bytesPerRow, start * bytesPerRow);
      for (let i = 0; i < n && out.length < limit; i++)
        out.push(buf.slice(i * ROW_WIDTH, (i + 1) * ROW_WIDTH));
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Peak resident set size of this process, MB. */
/** The rows as columns: one numeric column per feature (by name), the labels and the true probabilities. */
export function columnsOf(rows: readonly Float64Array[]): {
  numeric: Map<string, Float64Array>;
  labels: Uint8Array;
  truth: Float64Array;
} {
  const numeric = new Map<string, Float64Array>();
  FEATURE_PLAN.names.forEach((name, f) => {
    numeric.set(
      name,
      Float64Array.from(rows, (r) => r[COL.features + f]!),
    );
  });
  return {
    numeric,
    labels: Uint8Array.from(rows, (r) => r[COL.label]!),
    truth: Float64Array.from(rows, (r) => r[COL.truth]!),
  };
}

export const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

/** Stops with a one-line message (no stack trace): for bad flags and missing or inconsistent data. */
export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}
