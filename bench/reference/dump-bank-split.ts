/**
 * npx tsx bench/reference/dump-bank-split.ts [--seeds 42,1,2,3,4] [--out DIR] [--shared DIR] [--no-train]
 *
 * Writes, for each seed, the project's own split of the bank marketing data and its encoded matrix,
 * so bench/reference/xgboost_bank.py can train XGBoost, HistGB and logistic regression on exactly
 * the rows and columns our models see (bench/reference/README.md says why and how to read it):
 *
 *   DIR/seed<S>.json  rows, width, columns, labels (CSV order), train / test / innerTrain / innerVal row
 *                     indices, and (unless --no-train) the project gbdt's and logistic's test metrics
 *                     with the gbdt's test probabilities (in test-row order)
 *   DIR/seed<S>.f32   every CSV row encoded (float32, row-major, rows x width) with the inputs
 *                     trainModel fits on that seed's training rows (derived columns of
 *                     training/configs/bank-marketing.json)
 *
 * The split is the one trainModel makes (stratified 80/20, then 15 % of the training rows for early
 * stopping); the script checks that the trained models saw the same test rows. DIR defaults to
 * <os.tmpdir()>/nba-bank-reference: about 95 MB per seed, never inside the repository.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createRandom } from "../../src/random/seeded-random.js";
import { readCsvConfigFile, resolveCsvConfig } from "../../src/training/data/csv-config.js";
import { loadCsv } from "../../src/training/data/csv-source.js";
import { trainModel } from "../../src/training/pipeline/train-model.js";
import { encodeTable } from "../../src/training/prep/encode-table.js";
import { encodedColumnNames, fitInputs } from "../../src/training/prep/fit-inputs.js";
import { stratifiedSplit } from "../../src/training/split.js";

const CONFIG = "training/configs/bank-marketing.json";
/** trainModel's defaults (src/training/pipeline/train-model.ts); models-bench trains bank logistic with l2 1e-5. */
const TEST_FRACTION = 0.2;
const VALIDATION_FRACTION = 0.15;
const LOGISTIC_L2 = 1e-5;

const { values: args } = parseArgs({
  options: {
    seeds: { type: "string", default: "42,1,2,3,4" },
    out: { type: "string", default: join(tmpdir(), "nba-bank-reference") },
    shared: { type: "string", default: "../shared/data" },
    "no-train": { type: "boolean", default: false },
  },
});

const seeds = args.seeds.split(",").map((s) => Number(s.trim()));
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
  console.error(
    `dump-bank-split: --seeds takes non-negative integers separated by commas, got "${args.seeds}"`,
  );
  process.exit(2);
}
const csv = resolve(args.shared, "bank-marketing.csv");
if (!existsSync(csv)) {
  console.error(
    `dump-bank-split: ${csv} is absent. This reference needs the UCI bank marketing CSV in the shared ` +
      "data folder (../shared/data beside the repository); pass --shared DIR to point elsewhere.",
  );
  process.exit(1);
}
const out = resolve(args.out);
if (out === process.cwd() || out.startsWith(`${process.cwd()}/`))
  console.warn(`dump-bank-split: warning: ${out} is inside the working folder (about 95 MB per seed)`);
mkdirSync(out, { recursive: true });

const set = await loadCsv(resolveCsvConfig(readCsvConfigFile(CONFIG), { csv }));
const positives = (rows: ArrayLike<number>) => {
  let n = 0;
  for (let i = 0; i < rows.length; i++) n += set.labels[rows[i]!]!;
  return n;
};
const all = Uint32Array.from(set.labels.keys());
console.log(`${csv}: ${all.length} rows, ${positives(all)} positive; writing to ${out}`);

const sameRows = (a: Uint32Array, b: Uint32Array) => a.length === b.length && a.every((v, i) => v === b[i]);

for (const seed of seeds) {
  const started = performance.now();
  // The calls of splitRows() in train-model.ts (stratified split, labels "test-split" and "validation-split").
  const split = stratifiedSplit(set.labels, TEST_FRACTION, createRandom(seed).fork("test-split"));
  const inner = stratifiedSplit(
    set.labels,
    VALIDATION_FRACTION,
    createRandom(seed).fork("validation-split"),
    split.train,
  );
  // The fitInputs call of trainModel: statistics and vocabularies from the outer training rows only.
  const inputs = fitInputs(set.table, split.train, {
    ...(set.fills ? { fills: set.fills } : {}),
    ...(set.formulas ? { formulas: set.formulas } : {}),
    ...(set.inputs ? { columns: set.inputs } : {}),
  });
  const matrix = encodeTable(inputs, set.table, all); // every row, in CSV order
  const columns = encodedColumnNames(inputs);
  if (columns.length !== matrix.width)
    throw new Error(`seed ${seed}: ${columns.length} names, width ${matrix.width}`);

  let project: Record<string, unknown> | undefined;
  let gbdtTestP: number[] | undefined;
  if (!args["no-train"]) {
    const gbdt = await trainModel(set, { kind: "gbdt", seed, split: "stratified" });
    const logistic = await trainModel(set, { kind: "logistic", seed, split: "stratified", l2: LOGISTIC_L2 });
    if (!sameRows(gbdt.split.test, split.test) || !sameRows(logistic.split.test, split.test))
      throw new Error(
        `seed ${seed}: trainModel's test rows differ from the dumped split (train-model.ts changed?)`,
      );
    const trees = gbdt.fit.bestEpoch;
    project = {
      gbdt: { auc: gbdt.evaluation.rocAuc, brier: gbdt.evaluation.brier, trees },
      logistic: { auc: logistic.evaluation.rocAuc, brier: logistic.evaluation.brier, l2: LOGISTIC_L2 },
    };
    gbdtTestP = Array.from(gbdt.testProbabilities);
    console.log(
      `seed ${seed}: project gbdt AUC ${gbdt.evaluation.rocAuc.toFixed(4)} Brier ${gbdt.evaluation.brier.toFixed(4)} ` +
        `(${trees} trees), logistic AUC ${logistic.evaluation.rocAuc.toFixed(4)} Brier ${logistic.evaluation.brier.toFixed(4)}`,
    );
  }

  const base = join(out, `seed${seed}`);
  const data = matrix.data;
  writeFileSync(`${base}.f32`, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  writeFileSync(
    `${base}.json`,
    JSON.stringify({
      seed,
      csv,
      config: CONFIG,
      rows: matrix.rows,
      width: matrix.width,
      columns,
      labels: Array.from(set.labels),
      train: Array.from(split.train),
      test: Array.from(split.test),
      innerTrain: Array.from(inner.train),
      innerVal: Array.from(inner.test),
      ...(project ? { project, gbdtTestP } : {}),
    }),
  );
  const rows = { train: split.train, innerTrain: inner.train, innerVal: inner.test, test: split.test };
  const counts = Object.entries(rows)
    .map(([k, r]) => `${k} ${r.length} (${positives(r)} pos)`)
    .join(", ");
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`seed ${seed}: width ${matrix.width}; ${counts}; wrote ${base}.{f32,json} in ${seconds} s`);
}
