/**
 * Propensity ceiling probes (bench/reference/propensity-ceiling/README.md). From the repository root:
 *
 *   npx tsx bench/reference/propensity-ceiling/probe.ts [--models SPECS] [--indep N] [--customers N]
 *     [--boot 200] [--results FILE]
 *
 * --models     comma list of kind[:all][:soft], kind gbdt|logistic|mlp (default gbdt,gbdt:soft,logistic:soft);
 *              `:all` fits every column instead of the engineered inputs, `:soft` is a ceiling probe.
 * --indep      independent customers, taken right after the training ones (default 200000).
 * --customers  the bench's population (default 100000, as `npm run bench:models`).
 * --boot       paired bootstrap replicates of the gap's SE (default 200, seed 42).
 * --results    JSON lines appended here (default <os.tmpdir()>/nba-propensity-ceiling/probe.jsonl).
 *
 * Mirrors trainModel (time split 80/20, inner time split 15%, fitInputs, cold-start on training rows,
 * seed 42) with bench:models' propensity settings; `:soft` trains on the true probabilities
 * (gradient p - truth), early stopping still reads the 0/1 labels, exactly as churn-ceiling/curve.ts.
 * Each model is measured on the bench's test split and on the test-period rows of the independent
 * customers (bench/support/independent-truth.ts). Progress on stderr, one line per model on stdout.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_END } from "../../../src/generator/index.js";
import { PROPENSITY_MLP_L2 } from "../../../src/training/data/generated-formulas.js";
import { streamedGeneratedSets } from "../../../src/training/data/generated-source.js";
import { resolveGbdtParams } from "../../../src/training/gbdt/params.js";
import { GBDT_SETTINGS } from "../../../src/training/gbdt/settings.js";
import { type LearnedModel, predictLearned } from "../../../src/training/pipeline/learned-model.js";
import { fitNetworkModel } from "../../../src/training/pipeline/network-model.js";
import { autoBatchSize, defaultLearningRate } from "../../../src/training/pipeline/train-model.js";
import { fitTreeModel } from "../../../src/training/pipeline/tree-model.js";
import { fitInputs } from "../../../src/training/prep/fit-inputs.js";
import { timeSplit } from "../../../src/training/split.js";
import { takeValues } from "../../../src/training/table.js";
import { selectBackend } from "../../../src/training/tf/backend.js";
import {
  gapStats,
  independentPopulation,
  scorePopulation,
  testPeriodStart,
} from "../../support/independent-truth.js";
import { fail, gapText, integer, labelledRows, progressLog, softLabels } from "./common.js";

let args: {
  models?: string;
  indep?: string;
  customers?: string;
  boot?: string;
  results?: string;
};
try {
  args = parseArgs({
    options: {
      models: { type: "string", default: "gbdt,gbdt:soft,logistic:soft" },
      indep: { type: "string", default: "200000" },
      customers: { type: "string", default: "100000" },
      boot: { type: "string", default: "200" },
      results: { type: "string", default: join(tmpdir(), "nba-propensity-ceiling", "probe.jsonl") },
    },
  }).values;
} catch (e) {
  fail((e as Error).message);
}

const CUSTOMERS = integer("customers", args.customers, 1);
const INDEP = integer("indep", args.indep, 1);
const BOOT = integer("boot", args.boot, 1);
const KINDS = ["gbdt", "logistic", "mlp"] as const;
const isKind = (k: string | undefined): k is (typeof KINDS)[number] => KINDS.some((x) => x === k);
const MODELS = args.models!.split(",").map((spec) => {
  const [kind, ...flags] = spec.split(":");
  if (!isKind(kind)) fail(`model ${spec}: kind must be gbdt, logistic or mlp`);
  const unknown = flags.filter((f) => f !== "all" && f !== "soft");
  if (unknown.length > 0) fail(`model ${spec}: unknown flag(s) ${unknown.join(", ")} (all, soft)`);
  return { spec, kind, allInputs: flags.includes("all"), soft: flags.includes("soft") };
});
const OUT = resolve(args.results!);
mkdirSync(dirname(OUT), { recursive: true });

const log = progressLog();

const backend = await selectBackend();
log(`backend ${backend}`);
const options = { customers: CUSTOMERS, days: 90, seed: 42, end: DEFAULT_END };
const set = streamedGeneratedSets(["propensity"], options).propensity!;
log(`built propensity set: ${set.labels.length} rows`);
const population = independentPopulation(["propensity"], options, CUSTOMERS, INDEP, (done) => {
  if (done % 50_000 === 0) log(`independent ${done}/${INDEP}`);
}).propensity!;
log("built independent population");

// As trainModel with split "time", seed 42.
const split = timeSplit(set.times!, 0.2);
const inner = timeSplit(set.times!, 0.15, split.train); // training rows span time (checked by bench)
const from = testPeriodStart(set, split.test);

for (const { spec, kind, allInputs, soft } of MODELS) {
  const t0 = performance.now();
  const inputs = fitInputs(set.table, split.train, {
    ...(set.fills ? { fills: set.fills } : {}),
    ...(set.formulas ? { formulas: set.formulas } : {}),
    ...(set.inputs && !allInputs ? { columns: set.inputs } : {}),
  });
  const labelled = (rows: Uint32Array, cold?: boolean) => labelledRows(set, inputs, rows, cold);
  const trainX = labelled(inner.train, true);
  const trainFit = soft ? softLabels(trainX, set, inner.train) : trainX;
  const valX = labelled(inner.test);
  const testX = labelled(split.test);
  let model: LearnedModel;
  let fitSize: string;
  let seconds: number;
  if (kind === "gbdt") {
    const r = await fitTreeModel(trainFit, valX, resolveGbdtParams({ ...GBDT_SETTINGS.propensity }), 42);
    model = r.model;
    fitSize = `${r.fit.bestEpoch} trees`;
    seconds = r.fit.seconds;
  } else {
    const batchSize = autoBatchSize(set.labels.length);
    const r = await fitNetworkModel(trainFit, valX, {
      kind,
      seed: 42,
      epochs: 60,
      batchSize,
      learningRate: defaultLearningRate(kind, batchSize),
      patience: 6,
      ...(kind === "mlp" ? { l2: PROPENSITY_MLP_L2 } : {}),
    });
    model = r.model;
    fitSize = `${r.fit.history.length} epochs`;
    seconds = r.fit.seconds;
  }
  const p = predictLearned(model, testX);
  const splitGap = gapStats({ p, labels: testX.labels, truth: takeValues(set.truth!, split.test) }, BOOT, 42);
  const run = { trained: { inputs, model } } as unknown as Parameters<typeof scorePopulation>[0];
  const indep = gapStats(scorePopulation(run, population, from), BOOT, 42);
  const res = {
    spec,
    width: testX.width,
    rows: { train: inner.train.length, val: inner.test.length, test: split.test.length },
    fitSize,
    trainSeconds: seconds,
    wallSeconds: (performance.now() - t0) / 1000,
    customers: CUSTOMERS,
    indepCustomers: INDEP,
    split: splitGap,
    indep,
  };
  log(`${spec} (${testX.width} inputs, ${fitSize}, fit ${seconds.toFixed(1)} s)`);
  console.log(`${spec}\tsplit: ${gapText(splitGap)}\tindep: ${gapText(indep)}`);
  appendFileSync(OUT, `${JSON.stringify(res)}\n`);
}
log(`done; results appended to ${OUT}`);
