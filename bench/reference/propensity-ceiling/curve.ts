/**
 * One learning-curve point for the propensity gbdt (bench/reference/propensity-ceiling/README.md).
 * From the repository root:
 *
 *   npx tsx bench/reference/propensity-ceiling/curve.ts --extra N --eval N [--bench 100000] [--models gbdt]
 *     [--boot 200] [--results FILE]
 *
 * --extra    extra training customers after the bench's (0 = the bench's own training rows).
 * --eval     independent test customers, taken right after the extra ones.
 * --bench    the bench's population (default 100000, as `npm run bench:models`; smaller for a smoke run).
 * --models   comma list of gbdt or gbdt:soft (default gbdt); `:soft` is a ceiling probe (as probe.ts).
 * --boot     paired bootstrap replicates of the gap's SE (default 200, seed 42).
 * --results  JSON lines appended here (default <os.tmpdir()>/nba-propensity-ceiling/curve.jsonl).
 *
 * Training rows = the bench's time-split training rows (customers 0-99,999) + the pre-test-period
 * rows of customers [100k, 100k+EXTRA). Tested on the bench's own test rows and on the test-period
 * rows of customers [100k+EXTRA, 100k+EXTRA+EVAL) (100k = --bench). Otherwise as probe.ts (trainModel's steps, seed 42).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_END } from "../../../src/generator/index.js";
import { streamedGeneratedSets } from "../../../src/training/data/generated-source.js";
import { resolveGbdtParams } from "../../../src/training/gbdt/params.js";
import { GBDT_SETTINGS } from "../../../src/training/gbdt/settings.js";
import { predictLearned } from "../../../src/training/pipeline/learned-model.js";
import { fitTreeModel } from "../../../src/training/pipeline/tree-model.js";
import { fitInputs } from "../../../src/training/prep/fit-inputs.js";
import { timeSplit } from "../../../src/training/split.js";
import { type TrainingSet, takeValues } from "../../../src/training/table.js";
import {
  gapStats,
  independentPopulation,
  scorePopulation,
  testPeriodStart,
} from "../../support/independent-truth.js";
import { fail, gapText, integer, labelledRows, progressLog, softLabels } from "./common.js";

let args: {
  extra?: string;
  eval?: string;
  bench?: string;
  models?: string;
  boot?: string;
  results?: string;
};
try {
  args = parseArgs({
    options: {
      extra: { type: "string" },
      eval: { type: "string" },
      bench: { type: "string", default: "100000" },
      models: { type: "string", default: "gbdt" },
      boot: { type: "string", default: "200" },
      results: { type: "string", default: join(tmpdir(), "nba-propensity-ceiling", "curve.jsonl") },
    },
  }).values;
} catch (e) {
  fail((e as Error).message);
}

const B = integer("bench", args.bench, 1);
const EXTRA = integer("extra", args.extra, 0);
const EVAL = integer("eval", args.eval, 1);
const BOOT = integer("boot", args.boot, 1);
const MODELS = args.models!.split(",");
for (const spec of MODELS)
  if (spec !== "gbdt" && spec !== "gbdt:soft") fail(`model ${spec}: must be gbdt or gbdt:soft`);
const OUT = resolve(args.results!);
mkdirSync(dirname(OUT), { recursive: true });

const log = progressLog();
const opts = { customers: B, days: 90, seed: 42, end: DEFAULT_END };
const bench = streamedGeneratedSets(["propensity"], opts).propensity!;
log(`bench set ${bench.labels.length} rows`);
const split = timeSplit(bench.times!, 0.2);
const from = testPeriodStart(bench, split.test);
const extra =
  EXTRA > 0
    ? independentPopulation(["propensity"], opts, B, EXTRA, (d) => d % 100_000 === 0 && log(`extra ${d}`))
        .propensity!
    : [];
const evalPop = independentPopulation(
  ["propensity"],
  opts,
  B + EXTRA,
  EVAL,
  (d) => d % 100_000 === 0 && log(`eval ${d}`),
).propensity!;
log("populations built");

// Concatenate bench + extra chunks (all rows; the extra's test-period rows are simply not used).
const parts: TrainingSet[] = [bench, ...extra];
const n = parts.reduce((s, p) => s + p.labels.length, 0);
const numeric = new Map<string, Float64Array>();
for (const k of bench.table.numeric.keys()) {
  const a = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    a.set(p.table.numeric.get(k)!, at);
    at += p.labels.length;
  }
  numeric.set(k, a);
}
const categorical = new Map<string, (string | null)[]>();
for (const k of bench.table.categorical.keys())
  categorical.set(
    k,
    parts.flatMap((p) => [...p.table.categorical.get(k)!]),
  );
const cat = <T extends Float64Array | Uint8Array>(get: (p: TrainingSet) => T, C: new (n: number) => T): T => {
  const a = new C(n);
  let at = 0;
  for (const p of parts) {
    a.set(get(p), at);
    at += p.labels.length;
  }
  return a;
};
const set: TrainingSet = {
  ...bench,
  table: { length: n, numeric, categorical },
  labels: cat((p) => p.labels, Uint8Array),
  times: cat((p) => p.times!, Float64Array),
  truth: cat((p) => p.truth!, Float64Array),
};
const trainList = Array.from(split.train);
for (let r = bench.labels.length; r < n; r++) if (set.times![r]! < from) trainList.push(r);
const trainRows = Uint32Array.from(trainList);
const inner = timeSplit(set.times!, 0.15, trainRows);
log(
  `training rows ${trainRows.length} (bench's ${split.train.length}), fit ${inner.train.length}, val ${inner.test.length}`,
);
for (const spec of MODELS) {
  const soft = spec.includes(":soft");
  const inputs = fitInputs(set.table, trainRows, {
    ...(set.formulas ? { formulas: set.formulas } : {}),
    ...(set.inputs ? { columns: set.inputs } : {}),
  });
  const labelled = (rows: Uint32Array, cold?: boolean) => labelledRows(set, inputs, rows, cold);
  const trainX = labelled(inner.train, true);
  const trainFit = soft ? softLabels(trainX, set, inner.train) : trainX;
  const valX = labelled(inner.test);
  const r = await fitTreeModel(trainFit, valX, resolveGbdtParams({ ...GBDT_SETTINGS.propensity }), 42);
  const testX = labelled(split.test);
  const p = predictLearned(r.model, testX);
  const sg = gapStats({ p, labels: testX.labels, truth: takeValues(set.truth!, split.test) }, BOOT, 42);
  const run = { trained: { inputs, model: r.model } } as unknown as Parameters<typeof scorePopulation>[0];
  const ig = gapStats(scorePopulation(run, evalPop, from), BOOT, 42);
  log(`${spec} ${r.fit.bestEpoch} trees, fit ${r.fit.seconds.toFixed(1)} s`);
  console.log(
    `${spec} +${EXTRA} extra (train rows ${trainRows.length})\tbench split: ${gapText(sg)}\tindep ${B + EXTRA}..+${EVAL}: ${gapText(ig)}`,
  );
  appendFileSync(
    OUT,
    `${JSON.stringify({ spec, extra: EXTRA, eval: EVAL, trainRows: trainRows.length, trees: r.fit.bestEpoch, fitSeconds: r.fit.seconds, split: sg, indep: ig })}\n`,
  );
}
log(`done; results appended to ${OUT}`);
