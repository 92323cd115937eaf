/**
 * npx tsx bench/reference/churn-ceiling/oracle.ts [--dir DIR] [--slice-rows N] [--slice-seed 5]
 *
 * The bench's "observable terms" oracle (bench/support/churn-observable.ts: the generator's own churn
 * hazard with every latent term held constant, computed from the feature columns) against the true
 * probabilities' ROC AUC on (1) the bench's test rows, (2) the whole big test population, and (3)
 * disjoint random slices of the big test population of the bench test's size (--slice-rows, by
 * default the bench test's row count: 18,026 at 100,000 customers), to show how much the oracle's gap
 * moves from one test set of the bench's size to another. Needs the bench and big parts of
 * generate.ts in DIR (default <os.tmpdir()>/nba-churn-ceiling). Prints a summary JSON line last.
 */
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createRandom } from "../../../src/random/seeded-random.js";
import { rocAuc } from "../../../src/training/metrics/roc-auc.js";
import { stratifiedSplit } from "../../../src/training/split.js";
import type { TrainingSet } from "../../../src/training/table.js";
import { observableChurnAuc } from "../../support/churn-observable.js";
import { columnsOf, fail, type Part, readRows } from "./rows.js";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: join(tmpdir(), "nba-churn-ceiling") },
    "slice-rows": { type: "string" },
    "slice-seed": { type: "string", default: "5" },
  },
});
const dir = resolve(args.dir!);

/** A part as a churn training set (only the numeric feature columns the oracle reads) plus its truths. */
function load(part: Part): { set: TrainingSet; truth: Float64Array; n: number } {
  const rows = readRows(dir, part);
  const n = rows.length;
  const { numeric, labels, truth } = columnsOf(rows);
  const set = { table: { length: n, numeric, categorical: new Map() }, labels } as unknown as TrainingSet;
  return { set, truth, n };
}

const f4 = (v: number) => v.toFixed(4);

const bench = load("bench");
const split = stratifiedSplit(bench.set.labels, 0.2, createRandom(42).fork("test-split"));
const benchOracle = observableChurnAuc(bench.set, split.test);
const benchTruth = rocAuc(
  Float64Array.from(split.test, (r) => bench.truth[r]!),
  Uint8Array.from(split.test, (r) => bench.set.labels[r]!),
);
console.log(
  `bench test (${split.test.length} rows): observable oracle ${f4(benchOracle)}, truth ${f4(benchTruth)}, gap ${f4(benchTruth - benchOracle)}`,
);

const big = load("big");
const bigOracle = observableChurnAuc(
  big.set,
  Uint32Array.from({ length: big.n }, (_, i) => i),
);
const bigTruth = rocAuc(big.truth, big.set.labels);
console.log(
  `big test (${big.n} rows): observable oracle ${f4(bigOracle)}, truth ${f4(bigTruth)}, gap ${f4(bigTruth - bigOracle)}`,
);

// Disjoint slices of a seeded shuffle of the big test rows (Fisher-Yates; the last partial slice is dropped).
const sliceRows = args["slice-rows"] === undefined ? split.test.length : Number(args["slice-rows"]);
if (!Number.isInteger(sliceRows) || sliceRows < 1) fail(`--slice-rows must be a positive integer`);
const perm = Uint32Array.from({ length: big.n }, (_, i) => i);
const random = createRandom(Number(args["slice-seed"])).fork("chunks");
for (let i = perm.length - 1; i > 0; i--) {
  const j = random.int(i + 1);
  const t = perm[i]!;
  perm[i] = perm[j]!;
  perm[j] = t;
}
const gaps: number[] = [];
for (let c = 0; (c + 1) * sliceRows <= big.n; c++) {
  const rows = perm.slice(c * sliceRows, (c + 1) * sliceRows);
  const t = Float64Array.from(rows, (k) => big.truth[k]!);
  const y = Uint8Array.from(rows, (k) => big.set.labels[k]!);
  gaps.push(rocAuc(t, y) - observableChurnAuc(big.set, rows));
}
if (gaps.length < 2) fail(`the big test has ${big.n} rows: fewer than two slices of ${sliceRows}`);
const mean = gaps.reduce((s, x) => s + x, 0) / gaps.length;
const sd = Math.sqrt(gaps.reduce((s, x) => s + (x - mean) ** 2, 0) / (gaps.length - 1));
const atMost01 = gaps.filter((g) => g <= 0.01).length;
console.log(
  `oracle gap over ${gaps.length} disjoint ${sliceRows}-row slices of the big test: mean ${f4(mean)}, sd ${f4(sd)}, ` +
    `min ${f4(Math.min(...gaps))}, max ${f4(Math.max(...gaps))}, <= 0.01: ${atMost01}/${gaps.length}`,
);
console.log(`slice gaps: ${gaps.map(f4).join(" ")}`);
console.log(
  JSON.stringify({
    benchTest: { rows: split.test.length, oracleAuc: benchOracle, truthAuc: benchTruth },
    bigTest: { rows: big.n, oracleAuc: bigOracle, truthAuc: bigTruth },
    slices: { rows: sliceRows, count: gaps.length, mean, sd, gaps },
  }),
);
