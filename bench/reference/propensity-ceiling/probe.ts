/**
 * Propensity ceiling probes (bench/reference/propensity-ceiling/README.md). From the repository root:
 *
 *   npx tsx bench/reference/propensity-ceiling/probe.ts [--models SPECS] [--indep N] [--customers N]
 *     [--gbdt JSON] [--blend SPEC+SPEC,...] [--boot 200] [--results FILE]
 *
 * --models     comma list of kind[:all][:soft][:xa|:xu][:g=NAME][:l2=X], kind gbdt|logistic|mlp (default
 *              gbdt,gbdt:soft,logistic:soft); `:all` fits every column instead of the engineered inputs,
 *              `:soft` is a ceiling probe; `:xa` / `:xu` add per-action / per-business-unit copies of
 *              the numeric inputs and channel (interactions.ts), `:xc` copies only the inputs the truth weighs per action (CORE_INPUTS), `:fa` adds the same copies as formula
 *              columns of the tables (perActionFormulas: the src route), `:xs` standardises those columns on
 *              the fit rows as fitInputs would formula columns; `:g=NAME` uses gbdt params NAME of
 *              --gbdt; `:l2=X` the L2 penalty of a network, `:lr=X` its Adam step, `:seed=N` the
 *              training seed (default 42; the split and cold-start masking keep seed 42).
 * --gbdt       JSON object NAME -> partial gbdt params (src/training/gbdt/params.ts), laid over
 *              GBDT_SETTINGS.propensity, e.g. '{"lr03":{"learningRate":0.03}}' for `gbdt:g=lr03`.
 * --blend      comma list of SPEC+SPEC[+...] (specs as in --models): the average of the members'
 *              probabilities and of their logits, measured like a model.
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
import { ACTION_IDS } from "../../../src/generator/action-catalogue.js";
import { DEFAULT_END } from "../../../src/generator/index.js";
import { addDerivedColumns, formulaMap } from "../../../src/training/data/derived-columns.js";
import { PROPENSITY_MLP_L2 } from "../../../src/training/data/generated-formulas.js";
import { streamedGeneratedSets } from "../../../src/training/data/generated-source.js";
import { DEFAULT_GBDT, type GbdtParams, resolveGbdtParams } from "../../../src/training/gbdt/params.js";
import { GBDT_SETTINGS } from "../../../src/training/gbdt/settings.js";
import { logLoss } from "../../../src/training/metrics/probability-scores.js";
import { BLEND_TREE_WEIGHTS } from "../../../src/training/pipeline/blend-model.js";
import { type LearnedModel, predictLearned } from "../../../src/training/pipeline/learned-model.js";
import { fitNetworkModel } from "../../../src/training/pipeline/network-model.js";
import { autoBatchSize, defaultLearningRate } from "../../../src/training/pipeline/train-model.js";
import { fitTreeModel } from "../../../src/training/pipeline/tree-model.js";
import { encodeTable, type Matrix } from "../../../src/training/prep/encode-table.js";
import { fitInputs } from "../../../src/training/prep/fit-inputs.js";
import { timeSplit } from "../../../src/training/split.js";
import { type TrainingSet, takeValues } from "../../../src/training/table.js";
import { selectBackend } from "../../../src/training/tf/backend.js";
import {
  gapStats,
  independentPopulation,
  scorePopulation,
  testPeriodStart,
} from "../../support/independent-truth.js";
import { fail, gapText, integer, labelledRows, progressLog, softLabels } from "./common.js";
import {
  CORE_INPUTS,
  type Interactions,
  interactionPlan,
  PER_ACTION_RAW,
  perActionFormulas,
  withInteractions,
  withScaling,
} from "./interactions.js";

let args: {
  models?: string;
  gbdt?: string;
  blend?: string;
  indep?: string;
  customers?: string;
  boot?: string;
  results?: string;
};
try {
  args = parseArgs({
    options: {
      models: { type: "string", default: "gbdt,gbdt:soft,logistic:soft" },
      gbdt: { type: "string", default: "{}" },
      blend: { type: "string", default: "" },
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
let gbdtSets: Record<string, Partial<GbdtParams>>;
try {
  gbdtSets = JSON.parse(args.gbdt!) as Record<string, Partial<GbdtParams>>;
} catch (e) {
  fail(`--gbdt: ${(e as Error).message}`);
}
if (typeof gbdtSets !== "object" || gbdtSets === null || Array.isArray(gbdtSets))
  fail("--gbdt must be a JSON object NAME -> params");
for (const [name, params] of Object.entries(gbdtSets)) {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    fail(`--gbdt ${name}: params must be an object`);
  for (const [k, v] of Object.entries(params)) {
    if (!(k in DEFAULT_GBDT))
      fail(`--gbdt ${name}: unknown param ${k} (${Object.keys(DEFAULT_GBDT).join(", ")})`);
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`--gbdt ${name}: ${k} must be a number`);
  }
  try {
    resolveGbdtParams({ ...GBDT_SETTINGS.propensity, ...params });
  } catch (e) {
    fail(`--gbdt ${name}: ${(e as Error).message}`);
  }
}
const MODELS = args.models!.split(",").map((spec) => {
  const [kind, ...flags] = spec.split(":");
  if (!isKind(kind)) fail(`model ${spec}: kind must be gbdt, logistic or mlp`);
  let gbdt: Partial<GbdtParams> = {};
  let l2: number | undefined;
  let lr: number | undefined;
  let seed = 42;
  for (const f of flags) {
    if (f === "all" || f === "soft" || f === "xa" || f === "xu" || f === "xs" || f === "xc" || f === "fa")
      continue;
    if (f.startsWith("g=")) {
      const name = f.slice(2);
      if (kind !== "gbdt") fail(`model ${spec}: g= is for gbdt`);
      if (!(name in gbdtSets)) fail(`model ${spec}: no gbdt params ${name} in --gbdt`);
      gbdt = gbdtSets[name]!;
    } else if (f.startsWith("l2=")) {
      l2 = Number(f.slice(3));
      if (kind === "gbdt") fail(`model ${spec}: l2= is for networks (gbdt: --gbdt lambda)`);
      if (!Number.isFinite(l2) || l2 < 0) fail(`model ${spec}: l2 must be a number >= 0`);
    } else if (f.startsWith("lr=")) {
      lr = Number(f.slice(3));
      if (kind === "gbdt") fail(`model ${spec}: lr= is for networks (gbdt: --gbdt learningRate)`);
      if (!Number.isFinite(lr) || lr <= 0) fail(`model ${spec}: lr must be a number > 0`);
    } else if (f.startsWith("seed=")) {
      seed = Number(f.slice(5));
      if (!Number.isInteger(seed) || seed < 0) fail(`model ${spec}: seed must be an integer >= 0`);
    } else
      fail(`model ${spec}: unknown flag ${f} (all, soft, xa, xu, xs, xc, fa, g=NAME, l2=X, lr=X, seed=N)`);
  }
  if (flags.includes("xa") && flags.includes("xu")) fail(`model ${spec}: xa or xu, not both`);
  if (flags.includes("xc") && !flags.includes("xa") && !flags.includes("xu"))
    fail(`model ${spec}: xc needs xa or xu`);
  if (flags.includes("xs") && !flags.includes("xa") && !flags.includes("xu"))
    fail(`model ${spec}: xs needs xa or xu`);
  const interact: Interactions | undefined = flags.includes("xa")
    ? "actionId"
    : flags.includes("xu")
      ? "businessUnit"
      : undefined;
  return {
    spec,
    kind,
    allInputs: flags.includes("all"),
    soft: flags.includes("soft"),
    gbdt,
    l2,
    lr,
    interact,
    scaled: flags.includes("xs"),
    core: flags.includes("xc"),
    seed,
    formulas: flags.includes("fa"),
  };
});
if (new Set(MODELS.map((m) => m.spec)).size !== MODELS.length) fail("--models lists a spec twice");
const BLENDS = (args.blend ?? "")
  .split(",")
  .filter((b) => b !== "")
  .map((b) => {
    const members = b.split("+");
    if (members.length < 2) fail(`blend ${b}: needs two members or more`);
    for (const m of members)
      if (!MODELS.some((x) => x.spec === m)) fail(`blend ${b}: ${m} is not in --models`);
    return { spec: b, members };
  });
const OUT = resolve(args.results!);
mkdirSync(dirname(OUT), { recursive: true });

const log = progressLog();

const backend = await selectBackend();
log(`backend ${backend}`);
const options = { customers: CUSTOMERS, days: 90, seed: 42, end: DEFAULT_END };
const baseSet = streamedGeneratedSets(["propensity"], options).propensity!;
const set = baseSet;
log(`built propensity set: ${set.labels.length} rows`);
const basePopulation = independentPopulation(["propensity"], options, CUSTOMERS, INDEP, (done) => {
  if (done % 50_000 === 0) log(`independent ${done}/${INDEP}`);
}).propensity!;
log("built independent population");
// `:fa`: the per-action copies as formula columns of the tables (as a src change would add them).
const extra = MODELS.some((m) => m.formulas)
  ? perActionFormulas(ACTION_IDS, baseSet.formulas ?? {}, PER_ACTION_RAW)
  : undefined;
const formulaSet: TrainingSet | undefined = extra && {
  ...baseSet,
  table: addDerivedColumns(baseSet.table, extra),
  inputs: [...(baseSet.inputs ?? []), ...extra.map((e) => e.name)],
  formulas: { ...baseSet.formulas, ...formulaMap(extra) },
};
const formulaPopulation =
  extra && basePopulation.map((c) => ({ ...c, table: addDerivedColumns(c.table, extra) }));
if (extra) log(`added ${extra.length} per-action formula columns`);

// As trainModel with split "time", seed 42.
const split = timeSplit(set.times!, 0.2);
const inner = timeSplit(set.times!, 0.15, split.train); // training rows span time (checked by bench)
const from = testPeriodStart(set, split.test);

/** scorePopulation with a custom encoding (the interaction columns are not table columns). */
function scorePopulationWith(
  chunks: readonly TrainingSet[],
  start: number,
  encode: (chunk: TrainingSet, rows: Uint32Array) => Matrix,
  model: LearnedModel,
) {
  const p: number[] = [];
  const labels: number[] = [];
  const truth: number[] = [];
  for (const chunk of chunks) {
    const rows = Uint32Array.from({ length: chunk.labels.length }, (_, r) => r).filter(
      (r) => chunk.times![r]! >= start,
    );
    for (const v of predictLearned(model, encode(chunk, rows))) p.push(v);
    for (const v of takeValues(chunk.labels, rows)) labels.push(v);
    for (const v of takeValues(chunk.truth!, rows)) truth.push(v);
  }
  return { p: Float32Array.from(p), labels: Uint8Array.from(labels), truth: Float64Array.from(truth) };
}

const scores = new Map<string, { val: Float32Array; split: Float32Array; indep: Float32Array }>();
let valLabels: Uint8Array | undefined;
let splitTruth: { labels: Uint8Array; truth: ArrayLike<number> } | undefined;
let indepTruth: { labels: ArrayLike<number>; truth: ArrayLike<number> } | undefined;

for (const { spec, kind, allInputs, soft, gbdt, l2, lr, interact, scaled, core, seed, formulas } of MODELS) {
  const set = formulas ? formulaSet! : baseSet;
  const population = formulas ? formulaPopulation! : basePopulation;
  const t0 = performance.now();
  const inputs = fitInputs(set.table, split.train, {
    ...(set.fills ? { fills: set.fills } : {}),
    ...(set.formulas ? { formulas: set.formulas } : {}),
    ...(set.inputs && !allInputs ? { columns: set.inputs } : {}),
  });
  const plain = interact ? interactionPlan(inputs, interact, core ? CORE_INPUTS : undefined) : undefined;
  const plan = plain && scaled ? withScaling(plain, labelledRows(set, inputs, inner.train, true)) : plain;
  const labelled = (rows: Uint32Array, cold?: boolean) => {
    const m = labelledRows(set, inputs, rows, cold);
    return plan ? { ...withInteractions(m, plan), labels: m.labels } : m;
  };
  const trainX = labelled(inner.train, true);
  const trainFit = soft ? softLabels(trainX, set, inner.train) : trainX;
  const valX = labelled(inner.test);
  const testX = labelled(split.test);
  let model: LearnedModel;
  let fitSize: string;
  let seconds: number;
  if (kind === "gbdt") {
    const r = await fitTreeModel(
      trainFit,
      valX,
      resolveGbdtParams({ ...GBDT_SETTINGS.propensity, ...gbdt }),
      seed,
    );
    model = r.model;
    fitSize = `${r.fit.bestEpoch} trees`;
    seconds = r.fit.seconds;
  } else {
    const batchSize = autoBatchSize(set.labels.length);
    const r = await fitNetworkModel(trainFit, valX, {
      kind,
      seed,
      epochs: 60,
      batchSize,
      learningRate: lr ?? defaultLearningRate(kind, batchSize),
      patience: 6,
      ...(l2 !== undefined ? { l2 } : kind === "mlp" ? { l2: PROPENSITY_MLP_L2 } : {}),
    });
    model = r.model;
    fitSize = `${r.fit.history.length} epochs`;
    seconds = r.fit.seconds;
  }
  const p = predictLearned(model, testX);
  const splitGap = gapStats({ p, labels: testX.labels, truth: takeValues(set.truth!, split.test) }, BOOT, 42);
  const scored = plan
    ? scorePopulationWith(
        population,
        from,
        (chunk, rows) => withInteractions(encodeTable(inputs, chunk.table, rows), plan),
        model,
      )
    : scorePopulation(
        { trained: { inputs, model } } as unknown as Parameters<typeof scorePopulation>[0],
        population,
        from,
      );
  const indep = gapStats(scored, BOOT, 42);
  scores.set(spec, { val: predictLearned(model, valX), split: p, indep: Float32Array.from(scored.p) });
  valLabels ??= valX.labels;
  splitTruth ??= { labels: testX.labels, truth: takeValues(set.truth!, split.test) };
  indepTruth ??= { labels: scored.labels, truth: scored.truth };
  const res = {
    spec,
    gbdt: kind === "gbdt" ? resolveGbdtParams({ ...GBDT_SETTINGS.propensity, ...gbdt }) : undefined,
    l2,
    lr,
    seed,
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
const logit = (q: number) => {
  const c = Math.min(Math.max(q, 1e-7), 1 - 1e-7);
  return Math.log(c / (1 - c));
};
/** Σ w_k · logit(p_k) (weights summing to 1) through the sigmoid, or the weighted mean of the p_k. */
const average = (ps: readonly Float32Array[], how: "p" | "logit", w: readonly number[]) =>
  Float32Array.from(ps[0]!, (_, i) => {
    let s = 0;
    ps.forEach((q, k) => {
      s += w[k]! * (how === "p" ? q[i]! : logit(q[i]!));
    });
    return how === "p" ? s : 1 / (1 + Math.exp(-s));
  });
for (const { spec, members } of BLENDS) {
  const ms = members.map((m) => scores.get(m)!);
  const equal = members.map(() => 1 / members.length);
  // As the src blend chooses its trees' weight: the first member's logit weight from
  // BLEND_TREE_WEIGHTS by validation log loss (two members only).
  const variants: { name: string; how: "p" | "logit"; w: number[] }[] = [
    { name: "p", how: "p", w: equal },
    { name: "logit", how: "logit", w: equal },
  ];
  if (members.length === 2) {
    const chosen = BLEND_TREE_WEIGHTS.map((w) => ({
      w,
      loss: logLoss(average([ms[0]!.val, ms[1]!.val], "logit", [w, 1 - w]), valLabels!),
    })).reduce((a, b) => (b.loss < a.loss ? b : a));
    variants.push({ name: `logit w=${chosen.w}`, how: "logit", w: [chosen.w, 1 - chosen.w] });
  }
  for (const { name: how, how: kind, w } of variants) {
    const splitGap = gapStats(
      {
        p: average(
          ms.map((m) => m.split),
          kind,
          w,
        ),
        ...splitTruth!,
      },
      BOOT,
      42,
    );
    const indep = gapStats(
      {
        p: average(
          ms.map((m) => m.indep),
          kind,
          w,
        ),
        ...indepTruth!,
      },
      BOOT,
      42,
    );
    const name = `blend(${how}) ${spec}`;
    console.log(`${name}\tsplit: ${gapText(splitGap)}\tindep: ${gapText(indep)}`);
    appendFileSync(
      OUT,
      `${JSON.stringify({ spec: name, weights: w, customers: CUSTOMERS, indepCustomers: INDEP, split: splitGap, indep })}\n`,
    );
  }
}
log(`done; results appended to ${OUT}`);
