/**
 * npx tsx bench/reference/churn-ceiling/curve.ts --size 100000 [--models logistic,gbdt] [--dir DIR]
 *     [--boot 300] [--big-boot 100] [--results FILE]
 * npx tsx bench/reference/churn-ceiling/curve.ts --summary [--dir DIR] [--results FILE]
 *
 * One point of the churn learning curve, with the bench's test rows held fixed: trains each model in
 * --models on the training rows of a bench-equivalent population of --size customers and measures it
 * on (1) the bench's own test rows and (2) the independent big test population (generate.ts makes
 * both). For each test set it reports the model's ROC AUC, the AUC of the generator's true
 * probabilities on the same rows, their gap and a paired bootstrap SE of the gap (--boot resamples
 * on the bench test, --big-boot on the big test; 0 skips the SE).
 *
 * Training rows = (the bench's training rows) x size / (bench customers): below the bench's size a
 * seeded subset of the bench's training rows, above it all of them plus the extra part's rows in
 * customer order. The split, encoding, and fit settings are the ones trainModel uses for the bench.
 *
 * Model specs: kind[:all][:soft], kind one of logistic, mlp, gbdt.
 *   :all   every column (46 features + derived) instead of the engineered churn inputs
 *   :soft  a ceiling probe: trained on the generator's true probabilities instead of the 0/1
 *          labels (early stopping still reads 0/1 labels). A measuring device only: real data has
 *          no true probabilities.
 *
 * Appends one JSON line per model to --results (default DIR/results.jsonl) and prints it; --summary
 * prints that file as a Markdown table (sorted by model, then size) and trains nothing.
 * Run one size per process (memory grows with --size; README.md lists run times and peak RSS).
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { createRandom } from "../../../src/random/seeded-random.js";
import { addDerivedColumns, formulaMap } from "../../../src/training/data/derived-columns.js";
import { CHURN_FORMULAS, ENGINEERED_RAW } from "../../../src/training/data/generated-formulas.js";
import { resolveGbdtParams } from "../../../src/training/gbdt/params.js";
import { GBDT_SETTINGS } from "../../../src/training/gbdt/settings.js";
import { evaluate } from "../../../src/training/metrics/evaluate.js";
import { rocAuc } from "../../../src/training/metrics/roc-auc.js";
import { type LearnedModel, predictLearned } from "../../../src/training/pipeline/learned-model.js";
import { fitNetworkModel } from "../../../src/training/pipeline/network-model.js";
import { autoBatchSize, defaultLearningRate } from "../../../src/training/pipeline/train-model.js";
import { fitTreeModel } from "../../../src/training/pipeline/tree-model.js";
import { encodeTable } from "../../../src/training/prep/encode-table.js";
import { fitInputs } from "../../../src/training/prep/fit-inputs.js";
import { permutation, stratifiedSplit } from "../../../src/training/split.js";
import { takeValues } from "../../../src/training/table.js";
import { selectBackend } from "../../../src/training/tf/backend.js";
import { COL, columnsOf, fail, partInfo, partInfoFile, peakRssMB, readRows } from "./rows.js";

const { values: args } = parseArgs({
  options: {
    dir: { type: "string", default: join(tmpdir(), "nba-churn-ceiling") },
    size: { type: "string" },
    models: { type: "string", default: "logistic,gbdt" },
    boot: { type: "string", default: "300" },
    "big-boot": { type: "string", default: "100" },
    results: { type: "string" },
    summary: { type: "boolean", default: false },
  },
});
const dir = resolve(args.dir!);
const resultsFile = resolve(args.results ?? join(dir, "results.jsonl"));

interface TestStats {
  rows: number;
  positives: number;
  auc: number;
  truthAuc: number;
  gap: number;
  gapSE: number;
  aucSE: number;
  brier: number;
}
interface CurveResult {
  size: number;
  trainRows: number;
  fitRows: number;
  valRows: number;
  model: string;
  backend: string;
  width: number;
  trainSeconds: number;
  wallSeconds: number;
  encodeSeconds: number;
  fitSize: string;
  peakRssMB: number;
  rssNowMB: number;
  benchTest: TestStats;
  bigTest: TestStats | null;
  maxTrainCustomer: number;
}

if (args.summary) {
  printSummary();
  process.exit(0);
}

function printSummary(): void {
  if (!existsSync(resultsFile)) fail(`${resultsFile} does not exist: run a curve point first`);
  const rows = readFileSync(resultsFile, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as CurveResult)
    .sort((a, b) => (a.model === b.model ? a.size - b.size : a.model < b.model ? -1 : 1));
  const n = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : "–");
  const int = (v: number) => Math.round(v).toLocaleString("en-US");
  const stats = (s: TestStats | null) =>
    s ? [n(s.auc), n(s.truthAuc), `${n(s.gap)} ± ${n(s.gapSE)}`] : ["–", "–", "–"];
  console.log(
    "| bench-equiv. customers | training rows (fit+val) | model | bench test AUC | true-p AUC | gap ± SE " +
      "| big test AUC | true-p AUC | gap ± SE | train s | fit | peak RSS MB |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows)
    console.log(
      `| ${[int(r.size), int(r.trainRows), r.model, ...stats(r.benchTest), ...stats(r.bigTest), n(r.trainSeconds, 1), r.fitSize, int(r.peakRssMB)].join(" | ")} |`,
    );
}

function positiveInt(name: string, value: string | undefined, min = 1): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v < min) fail(`--${name} must be an integer >= ${min}, got ${value}`);
  return v;
}
if (args.size === undefined) fail("--size is required (bench-equivalent customers, e.g. 100000)");
const SIZE = positiveInt("size", args.size);
const BOOT = positiveInt("boot", args.boot, 0);
const BIG_BOOT = positiveInt("big-boot", args["big-boot"], 0);
const MODELS = args.models!.split(",").map((spec) => {
  const [kind, ...flags] = spec.split(":");
  if (kind !== "logistic" && kind !== "mlp" && kind !== "gbdt")
    fail(`model ${spec}: kind must be logistic, mlp or gbdt`);
  const unknown = flags.filter((f) => f !== "all" && f !== "soft");
  if (unknown.length > 0) fail(`model ${spec}: unknown flag(s) ${unknown.join(", ")} (all, soft)`);
  return { spec, kind, allInputs: flags.includes("all"), soft: flags.includes("soft") };
});
const t00 = performance.now();

// 1. The bench's population, split as trainModel splits it (stratified 80/20, seed 42).
const benchInfo = partInfo(dir, "bench");
const bench = readRows(dir, "bench");
const benchLabels = Uint8Array.from(bench, (r) => r[COL.label]!);
const benchSplit = stratifiedSplit(benchLabels, 0.2, createRandom(42).fork("test-split"));
const nBenchTrain = benchSplit.train.length;
const wantRows = Math.round((nBenchTrain * SIZE) / benchInfo.to);
let trainRows: Float64Array[];
if (wantRows <= nBenchTrain) {
  const chosen =
    wantRows === nBenchTrain
      ? benchSplit.train
      : Uint32Array.from(
          permutation(benchSplit.train, createRandom(7).fork("curve-pool")).subarray(0, wantRows),
        ).sort();
  trainRows = Array.from(chosen, (r) => bench[r]!);
} else {
  const extraInfo = partInfo(dir, "extra");
  if (extraInfo.from !== benchInfo.to)
    fail(`extra part starts at customer ${extraInfo.from}, the bench part ends at ${benchInfo.to}`);
  const need = wantRows - nBenchTrain;
  if (need > extraInfo.rows)
    fail(
      `--size ${SIZE} needs ${need} extra training rows, the extra part has ${extraInfo.rows}; ` +
        "generate more (generate.ts --train-to) or lower --size",
    );
  trainRows = Array.from(benchSplit.train, (r) => bench[r]!);
  for (const r of readRows(dir, "extra", need)) trainRows.push(r);
}
const benchTest = Array.from(benchSplit.test, (r) => bench[r]!);
let bigTest: Float64Array[] = [];
if (existsSync(partInfoFile(dir, "big"))) {
  const bigInfo = partInfo(dir, "big");
  const lastTrain = wantRows > nBenchTrain ? partInfo(dir, "extra").to : benchInfo.to;
  if (bigInfo.from < lastTrain)
    fail(`the big part starts at customer ${bigInfo.from}, inside the training customers`);
  bigTest = readRows(dir, "big");
} else {
  console.error(`no big test part in ${dir}: measuring on the bench test rows only`);
}
bench.length = 0;
const all = [...trainRows, ...benchTest, ...bigTest];
const nTrain = trainRows.length;
const trainIdx = Uint32Array.from({ length: nTrain }, (_, i) => i);
const testIdx = Uint32Array.from({ length: benchTest.length }, (_, i) => nTrain + i);
const bigIdx = Uint32Array.from({ length: bigTest.length }, (_, i) => nTrain + benchTest.length + i);
trainRows.length = 0;

// 2. The churn set as the generated source assembles it (engineered inputs, or every column).
const n = all.length;
const { numeric, labels, truth } = columnsOf(all);
const customer = Float64Array.from(all, (r) => r[COL.customer]!);
all.length = 0;
const table = addDerivedColumns({ length: n, numeric, categorical: new Map() }, CHURN_FORMULAS);
const formulas = formulaMap(CHURN_FORMULAS);
const keep = new Set([...Object.keys(formulas), ...ENGINEERED_RAW.churn]);
const engineered = [...table.numeric.keys()].filter((k) => keep.has(k));
console.error(
  `size ${SIZE}: ${nTrain} training rows (the bench's own: ${nBenchTrain}), ${testIdx.length} bench test rows, ` +
    `${bigIdx.length} big test rows; prep ${((performance.now() - t00) / 1000).toFixed(1)} s, peak RSS ${peakRssMB().toFixed(0)} MB`,
);

const sd = (v: readonly number[]) => {
  const mu = v.reduce((s, x) => s + x, 0) / v.length;
  return Math.sqrt(v.reduce((s, x) => s + (x - mu) ** 2, 0) / (v.length - 1));
};

/** Model AUC, true-probability AUC, their gap and a paired bootstrap SE of the gap and of the AUC. */
function testStats(p: ArrayLike<number>, idx: Uint32Array, boots: number): TestStats {
  const y = takeValues(labels, idx);
  const t = takeValues(truth, idx);
  const auc = rocAuc(p, y);
  const truthAuc = rocAuc(t, y);
  let gapSE = Number.NaN;
  let aucSE = Number.NaN;
  if (boots > 0) {
    const r = createRandom(99).fork("boot");
    const m = idx.length;
    const bp = new Float64Array(m);
    const bt = new Float64Array(m);
    const by = new Uint8Array(m);
    const gaps: number[] = [];
    const aucs: number[] = [];
    for (let b = 0; b < boots; b++) {
      for (let i = 0; i < m; i++) {
        const j = r.int(m);
        bp[i] = p[j]!;
        bt[i] = t[j]!;
        by[i] = y[j]!;
      }
      const a = rocAuc(bp, by);
      aucs.push(a);
      gaps.push(rocAuc(bt, by) - a);
    }
    gapSE = sd(gaps);
    aucSE = sd(aucs);
  }
  const positives = y.reduce((s, v) => s + v, 0);
  return {
    rows: idx.length,
    positives,
    auc,
    truthAuc,
    gap: truthAuc - auc,
    gapSE,
    aucSE,
    brier: evaluate(p, y).brier,
  };
}

const backend = await selectBackend();
const inner = stratifiedSplit(labels, 0.15, createRandom(42).fork("validation-split"), trainIdx);
for (const { spec, kind, allInputs, soft } of MODELS) {
  console.error(
    `size ${SIZE}: fitting ${spec} on ${inner.train.length} rows (${inner.test.length} for early stopping)`,
  );
  const t0 = performance.now();
  const inputs = fitInputs(table, trainIdx, { formulas, ...(allInputs ? {} : { columns: engineered }) });
  const labelled = (rows: Uint32Array) => ({
    ...encodeTable(inputs, table, rows),
    labels: takeValues(labels, rows),
  });
  const trainX = labelled(inner.train);
  // :soft replaces the training labels by the true probabilities (the loss's gradient becomes p - truth;
  // both fitters read labels as numbers). Validation keeps the 0/1 labels.
  const trainFit = soft
    ? { ...trainX, labels: takeValues(truth, inner.train) as unknown as Uint8Array }
    : trainX;
  const valX = labelled(inner.test);
  const testX = encodeTable(inputs, table, testIdx);
  const bigX = encodeTable(inputs, table, bigIdx);
  const encodeSeconds = (performance.now() - t0) / 1000;
  let model: LearnedModel;
  let fitSize: string;
  let trainSeconds: number;
  if (kind === "logistic" || kind === "mlp") {
    // As trainModel resolves it for a bench-style set of nTrain / 0.8 rows (batch 1024 at 100k customers).
    const batchSize = autoBatchSize(Math.round(nTrain / 0.8));
    const r = await fitNetworkModel(trainFit, valX, {
      kind,
      seed: 42,
      epochs: 60,
      batchSize,
      learningRate: defaultLearningRate(kind, batchSize),
      patience: 6,
    });
    model = r.model;
    fitSize = `${r.fit.history.length} epochs`;
    trainSeconds = r.fit.seconds;
  } else {
    const r = await fitTreeModel(trainFit, valX, resolveGbdtParams(GBDT_SETTINGS.churn), 42);
    model = r.model;
    fitSize = `${r.fit.bestEpoch} trees`;
    trainSeconds = r.fit.seconds;
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  console.error(
    `size ${SIZE}: ${spec} fitted (${fitSize}, ${trainSeconds.toFixed(1)} s); scoring and bootstrapping`,
  );
  const res: CurveResult = {
    size: SIZE,
    trainRows: nTrain,
    fitRows: inner.train.length,
    valRows: inner.test.length,
    model: spec,
    backend,
    width: testX.width,
    trainSeconds,
    wallSeconds,
    encodeSeconds,
    fitSize,
    peakRssMB: peakRssMB(),
    rssNowMB: process.memoryUsage().rss / 1048576,
    benchTest: testStats(predictLearned(model, testX), testIdx, BOOT),
    bigTest: bigIdx.length > 0 ? testStats(predictLearned(model, bigX), bigIdx, BIG_BOOT) : null,
    maxTrainCustomer: Math.max(
      ...Array.from(takeValues(customer, trainIdx.subarray(Math.max(0, nTrain - 5)))),
    ),
  };
  console.log(JSON.stringify(res));
  appendFileSync(resultsFile, `${JSON.stringify(res)}\n`);
}
console.error(`results appended to ${resultsFile}`);
