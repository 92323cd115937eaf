/**
 * npm run bench:ope -- [--decisions N] [--customers N] [--seed S] [--bootstrap B] [--replications R]
 *   [--rep-bootstrap B] [--rep-refit 0|1]
 * Validates the off-policy estimators where the truth is known. The generator's customers meet an
 * exploring logging policy with exact propensities (a softmax over a noisy static model, mixed with
 * 20% uniform); rewards are acceptance draws from the generator's TRUE acceptance probabilities.
 * Four target policies are valued from that log with src/ope (three through a target-probabilities
 * file, one as a replayed bandit) and compared with their true value: the exact expected reward
 * under the true probabilities over the same customer and channel mix (and a simulated on-policy
 * run of the same size, for scale). Then R further independent logs measure bias and interval coverage.
 * Writes the log, the target files and an HTML report under out/ope-validation/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Arm } from "../src/bandit/index.js";
import { createBandit } from "../src/bandit/index.js";
import { CHANNELS, type Channel, PRODUCTS } from "../src/features/vocabulary.js";
import {
  ACTION_CATALOGUE,
  type ActionId,
  acceptanceProbability,
  DEFAULT_END,
  generateSample,
  isEligible,
  OBSERVED_FEATURE_NAMES,
  type ObservedBehaviour,
} from "../src/generator/index.js";
import {
  evaluate,
  fitRewardModel,
  type LoggedDecision,
  type OpeReport,
  readLogFile,
  readTargetProbabilities,
  reportHtml,
  type Target,
} from "../src/ope/index.js";
import { createRandom, type Random } from "../src/random/seeded-random.js";
import { numberArg } from "./support/args.js";
import { fmt, printTable } from "./support/stats.js";

const DECISIONS = numberArg("decisions", 50_000);
const CUSTOMERS = numberArg("customers", 4_000);
const SEED = numberArg("seed", 11);
const BOOTSTRAP = numberArg("bootstrap", 1_000);
const REPLICATIONS = numberArg("replications", 20);
const REP_BOOTSTRAP = numberArg("rep-bootstrap", 200);
/** Refit the reward model per bootstrap replicate in the further logs too (the main run always does). */
const REP_REFIT = numberArg("rep-refit", 0) === 1;
const OUT = "out/ope-validation";

/** Channel mix of the decision stream (shares of decisions), as in the bandit benchmark. */
const CHANNEL_MIX: Readonly<Record<Channel, number>> = {
  web: 0.35,
  app: 0.35,
  email: 0.1,
  call_centre: 0.1,
  branch: 0.1,
};
/** The logging policy's static model: true P(accept) × exp(σ·N) per (customer, action). */
const LOGGING_MODEL_NOISE = 0.8;
/** The model the greedy and softmax targets rank with: a better one (smaller error). */
const TARGET_MODEL_NOISE = 0.3;
const LOGGING_UNIFORM_SHARE = 0.2;
const LOGGING_TEMPERATURE = 0.5;
const TARGET_TEMPERATURE = 0.3;
const REPLAY_EPSILON = 0.1;
const MAX_ERROR = 0.05;

const A = ACTION_CATALOGUE.length;
const C = CHANNELS.length;
const NUMERIC = Object.keys(OBSERVED_FEATURE_NAMES) as (keyof typeof OBSERVED_FEATURE_NAMES)[];

// ---------------------------------------------------------------- the world
interface World {
  readonly n: number;
  /** What the bank sees per (customer, channel): named features (log counts, holdings, channel). */
  readonly features: Record<string, number>[];
  /** True P(accept) per (customer, channel, action). */
  readonly truth: Float64Array;
  /** Eligible action indexes per customer: the candidates of every decision for that customer. */
  readonly eligible: number[][];
  /** The logging model's score per (customer, channel, action); logged as the prior. */
  readonly loggingScore: Float64Array;
  /** The better model's score, which the greedy and softmax targets rank with. */
  readonly targetScore: Float64Array;
}

function observedFeatures(o: ObservedBehaviour, channel: Channel): Record<string, number> {
  const f: Record<string, number> = {};
  for (const k of NUMERIC) f[OBSERVED_FEATURE_NAMES[k]] = Math.log1p(o[k]);
  for (const p of PRODUCTS) f[`holds_${p}`] = o.productsHeld.includes(p) ? 1 : 0;
  for (const c of CHANNELS) f[`channel_${c}`] = c === channel ? 1 : 0;
  return f;
}

function buildWorld(): World {
  const t0 = performance.now();
  const sample = generateSample({ customers: CUSTOMERS, days: 90, seed: SEED, end: DEFAULT_END });
  const active = sample.customers.filter((c) => c.activeAtLabelTime && c.observedAtLabelTime);
  const n = active.length;
  const truth = new Float64Array(n * C * A);
  const loggingScore = new Float64Array(n * C * A);
  const targetScore = new Float64Array(n * C * A);
  const features: Record<string, number>[] = [];
  const eligible: number[][] = [];
  const noise = createRandom(SEED).fork("model-errors");
  active.forEach((customer, i) => {
    const observed = customer.observedAtLabelTime!;
    eligible.push(ACTION_CATALOGUE.flatMap((a, j) => (isEligible(a, observed.productsHeld) ? [j] : [])));
    // Model errors are per (customer, action): a model is wrong about a person, not at random per call.
    const logErr = Float64Array.from({ length: A }, () => Math.exp(LOGGING_MODEL_NOISE * noise.normal()));
    const targetErr = Float64Array.from({ length: A }, () => Math.exp(TARGET_MODEL_NOISE * noise.normal()));
    CHANNELS.forEach((channel, c) => {
      features.push(observedFeatures(observed, channel));
      ACTION_CATALOGUE.forEach((a, j) => {
        const k = (i * C + c) * A + j;
        const p = acceptanceProbability(customer.traits, observed, a.id as ActionId, { channel });
        truth[k] = p;
        loggingScore[k] = Math.min(0.999, p * logErr[j]!);
        targetScore[k] = Math.min(0.999, p * targetErr[j]!);
      });
    });
  });
  console.log(
    `world: ${n.toLocaleString()} active customers of ${CUSTOMERS.toLocaleString()} generated (seed ${SEED}), ` +
      `${(eligible.reduce((s, e) => s + e.length, 0) / n).toFixed(1)} eligible actions each on average, ` +
      `built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { n, features, truth, eligible, loggingScore, targetScore };
}

// ---------------------------------------------------------------- policies
/** A policy: P(action) over the customer's eligible actions (same order) on a channel. */
type PolicyFn = (customer: number, channel: number) => Float64Array;

function softmaxOver(scores: readonly number[], temperature: number): Float64Array {
  const logs = scores.map((s) => Math.log(s) / temperature);
  const max = Math.max(...logs);
  const w = Float64Array.from(logs, (l) => Math.exp(l - max));
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

function scoresOf(world: World, table: Float64Array, customer: number, channel: number): number[] {
  const base = (customer * C + channel) * A;
  return world.eligible[customer]!.map((j) => table[base + j]!);
}

function loggingPolicy(world: World): PolicyFn {
  return (i, c) => {
    const soft = softmaxOver(scoresOf(world, world.loggingScore, i, c), LOGGING_TEMPERATURE);
    const k = soft.length;
    return soft.map((p) => LOGGING_UNIFORM_SHARE / k + (1 - LOGGING_UNIFORM_SHARE) * p);
  };
}

interface TargetPolicy {
  readonly name: string;
  readonly note: string;
  readonly policy: PolicyFn;
  /** How src/ope is given this target: a probabilities file (a) or a bandit replay (b). */
  readonly via: "probabilities" | "bandit";
}

function argmaxOneHot(scores: readonly number[]): Float64Array {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k]! > scores[best]!) best = k;
  const out = new Float64Array(scores.length);
  out[best] = 1;
  return out;
}

/** The cold bandit the replayed target is: every arm's mean is its prior (the logging model's score). */
function replayBandit(dim: number) {
  return createBandit({
    exploration: { algorithm: "epsilon_greedy", epsilon: REPLAY_EPSILON },
    scorer: "ridge",
    ridge: 1,
    contextDim: dim,
    contextSchema: `ope-replay-d${dim}`,
  });
}

function targets(world: World, dim: number): TargetPolicy[] {
  const bandit = replayBandit(dim);
  const rng = createRandom(SEED).fork("replay-truth");
  const x = new Float64Array(dim);
  return [
    {
      name: "greedy",
      note: `argmax of a better model (true P × exp(${TARGET_MODEL_NOISE}·N))`,
      policy: (i, c) => argmaxOneHot(scoresOf(world, world.targetScore, i, c)),
      via: "probabilities",
    },
    {
      name: "softmax",
      note: `softmax over the better model's log scores, temperature ${TARGET_TEMPERATURE}`,
      policy: (i, c) => softmaxOver(scoresOf(world, world.targetScore, i, c), TARGET_TEMPERATURE),
      via: "probabilities",
    },
    {
      name: "uniform",
      note: "uniform over the eligible actions",
      policy: (i) => new Float64Array(world.eligible[i]!.length).fill(1 / world.eligible[i]!.length),
      via: "probabilities",
    },
    {
      name: "ε-greedy bandit",
      note: `--bandit epsilon_greedy --epsilon ${REPLAY_EPSILON}, cold (arms at their logged priors): bandit-module probabilities`,
      policy: (i, c) => {
        const arms: Arm[] = world.eligible[i]!.map((j) => ({
          actionId: ACTION_CATALOGUE[j]!.id,
          prior: world.loggingScore[(i * C + c) * A + j]!,
          multiplier: 1,
        }));
        return Float64Array.from(bandit.choose(x, arms, rng).probabilities);
      },
      via: "bandit",
    },
  ];
}

/** Exact expected reward per decision under the true probabilities, over the customer and channel mix. */
function trueValue(world: World, policy: PolicyFn): number {
  let v = 0;
  for (let i = 0; i < world.n; i++) {
    CHANNELS.forEach((ch, c) => {
      const pi = policy(i, c);
      const base = (i * C + c) * A;
      world.eligible[i]!.forEach((j, k) => {
        v += (CHANNEL_MIX[ch] * pi[k]! * world.truth[base + j]!) / world.n;
      });
    });
  }
  return v;
}

function drawChannel(rng: Random): number {
  let u = rng.next();
  for (let c = 0; c < C; c++) {
    u -= CHANNEL_MIX[CHANNELS[c]!];
    if (u < 0) return c;
  }
  return C - 1;
}

function drawIndex(rng: Random, p: ArrayLike<number>): number {
  let u = rng.next();
  for (let k = 0; k < p.length; k++) {
    u -= p[k]!;
    if (u < 0) return k;
  }
  return p.length - 1;
}

/** Simulated on-policy run: the policy's realised mean reward over `decisions` draws, and its standard error. */
function onPolicy(
  world: World,
  policy: PolicyFn,
  decisions: number,
  rng: Random,
): { mean: number; se: number } {
  let sum = 0;
  for (let t = 0; t < decisions; t++) {
    const i = rng.int(world.n);
    const c = drawChannel(rng);
    const k = drawIndex(rng, policy(i, c));
    const j = world.eligible[i]![k]!;
    if (rng.next() < world.truth[(i * C + c) * A + j]!) sum++;
  }
  const mean = sum / decisions;
  return { mean, se: Math.sqrt((mean * (1 - mean)) / decisions) };
}

// ---------------------------------------------------------------- the log
interface Log {
  readonly rows: LoggedDecision[];
  /** Customer and channel of each row (what the target policies look up). */
  readonly customers: Int32Array;
  readonly channels: Int32Array;
  readonly featureNames: readonly string[];
}

/** Decisions by the logging policy, rewards drawn from the true acceptance probabilities. */
function logDecisions(world: World, logging: PolicyFn, seed: number): Log {
  const rng = createRandom(seed).fork("log");
  const featureNames = Object.keys(world.features[0]!);
  const rows: LoggedDecision[] = [];
  const customers = new Int32Array(DECISIONS);
  const channels = new Int32Array(DECISIONS);
  for (let t = 0; t < DECISIONS; t++) {
    const i = rng.int(world.n);
    const c = drawChannel(rng);
    const mu = logging(i, c);
    const k = drawIndex(rng, mu);
    const base = (i * C + c) * A;
    const eligible = world.eligible[i]!;
    const reward = rng.next() < world.truth[base + eligible[k]!]! ? 1 : 0;
    const features = world.features[i * C + c]!;
    customers[t] = i;
    channels[t] = c;
    rows.push({
      line: t + 1,
      id: `d${t}`,
      x: Float64Array.from(featureNames, (name) => features[name]!),
      candidates: eligible.map((j) => ACTION_CATALOGUE[j]!.id),
      action: k,
      propensity: mu[k]!,
      reward,
      loggingProbabilities: mu,
      priors: Float64Array.from(eligible, (j) => world.loggingScore[base + j]!),
    });
  }
  return { rows, customers, channels, featureNames };
}

/** A row in the generic JSONL format (docs/ope.md): what the main run writes and reads back. */
function toJson(log: Log, r: LoggedDecision): Record<string, unknown> {
  return {
    id: r.id,
    action: r.candidates[r.action],
    propensity: r.propensity,
    reward: r.reward,
    candidates: Object.fromEntries(r.candidates.map((a, m) => [a, r.loggingProbabilities![m]!])),
    priors: Object.fromEntries(r.candidates.map((a, m) => [a, r.priors![m]!])),
    features: Object.fromEntries(log.featureNames.map((name, j) => [name, r.x[j]!])),
  };
}

function targetEntries(log: Log, policy: PolicyFn) {
  return log.rows.map((r, t) => {
    const pi = policy(log.customers[t]!, log.channels[t]!);
    return { id: r.id, probabilities: Object.fromEntries(r.candidates.map((a, m) => [a, pi[m]!])) };
  });
}

const replayTarget: Target = {
  kind: "bandit",
  exploration: { algorithm: "epsilon_greedy", epsilon: REPLAY_EPSILON },
};

// ---------------------------------------------------------------- the run
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(2)}%`;
const v4 = (x: number) => x.toFixed(4);

async function main(): Promise<void> {
  const started = performance.now();
  const world = buildWorld();
  const dim = Object.keys(world.features[0]!).length;
  const logging = loggingPolicy(world);
  const list = targets(world, dim);
  const truths = list.map((t) => trueValue(world, t.policy));
  const loggingTruth = trueValue(world, logging);
  const sims = list.map((t) =>
    onPolicy(world, t.policy, DECISIONS, createRandom(SEED).fork(`on-policy:${t.name}`)),
  );

  // The main log goes through files, like `npm run ope -- --log ... --target-probabilities ...`.
  mkdirSync(OUT, { recursive: true });
  const logged = logDecisions(world, logging, SEED);
  writeFileSync(
    `${OUT}/log.jsonl`,
    `${logged.rows.map((r) => JSON.stringify(toJson(logged, r))).join("\n")}\n`,
  );
  const log = await readLogFile(`${OUT}/log.jsonl`);
  const minMu = Math.min(...log.rows.map((r) => Math.min(...r.loggingProbabilities!)));
  console.log(
    `log: ${log.rows.length.toLocaleString()} decisions (${log.malformed.length} malformed), ${dim} context features, ` +
      `logging policy ${LOGGING_UNIFORM_SHARE * 100}% uniform + softmax(temperature ${LOGGING_TEMPERATURE}) over a static model ` +
      `(true P × exp(${LOGGING_MODEL_NOISE}·N)), smallest logging probability ${minMu.toFixed(4)}; ` +
      `observed mean reward ${v4(log.rows.reduce((s, r) => s + r.reward, 0) / log.rows.length)} (true value ${v4(loggingTruth)})`,
  );

  const reports: OpeReport[] = [];
  // One reward-model fit shared by the targets: its per-replicate refits are then shared too (the
  // targets are valued on the same rows with the same bootstrap seed).
  const rewardModel = fitRewardModel(log.rows, { seed: SEED });
  const seconds: number[] = [];
  for (const t of list) {
    let target: Target = replayTarget;
    if (t.via === "probabilities") {
      const file = `${OUT}/target-${t.name}.jsonl`;
      writeFileSync(
        file,
        `${targetEntries(logged, t.policy)
          .map((e) => JSON.stringify(e))
          .join("\n")}\n`,
      );
      target = { kind: "probabilities", probabilities: await readTargetProbabilities(file) };
    }
    const started = performance.now();
    reports.push(evaluate(log, target, { bootstrap: BOOTSTRAP, seed: SEED, rewardModel }));
    seconds.push((performance.now() - started) / 1000);
  }
  console.log(
    `evaluation with the reward model refitted on each of ${BOOTSTRAP} bootstrap replicates: ${list.map((t, i) => `${t.name} ${seconds[i]!.toFixed(1)} s`).join(", ")}`,
  );
  writeFileSync(`${OUT}/greedy-report.html`, await reportHtml(reports[0]!, "log.jsonl (greedy target)"));

  console.log(
    `\nPer target and estimator (${BOOTSTRAP} bootstrap replicates, seed ${SEED}); error = (estimate − true) / true:`,
  );
  const detail: string[][] = [];
  list.forEach((t, ti) => {
    const truth = truths[ti]!;
    for (const e of reports[ti]!.estimates) {
      detail.push([
        t.name,
        e.label,
        v4(truth),
        v4(e.estimate),
        `[${v4(e.lower)}, ${v4(e.upper)}]`,
        fmt(e.ess),
        pct((e.estimate - truth) / truth),
        e.lower <= truth && truth <= e.upper ? "yes" : "NO",
      ]);
    }
  });
  printTable(
    ["target", "estimator", "true value", "estimate", "95% interval", "ESS", "error", "truth in CI"],
    detail,
  );

  console.log("\nSummary (DR is the estimator the targets are set for):");
  const summary: string[][] = [];
  let allWithin = true;
  let allCovered = true;
  list.forEach((t, ti) => {
    const truth = truths[ti]!;
    const r = reports[ti]!;
    const err = (name: string) => {
      const e = r.estimates.find((x) => x.estimator === name)!;
      return (e.estimate - truth) / truth;
    };
    const dr = r.estimates.find((x) => x.estimator === "dr")!;
    const within = Math.abs(err("dr")) <= MAX_ERROR;
    const covered = dr.lower <= truth && truth <= dr.upper;
    allWithin &&= within;
    allCovered &&= covered;
    const sim = sims[ti]!;
    summary.push([
      t.name,
      v4(truth),
      `${v4(sim.mean)} ± ${v4(1.96 * sim.se)}`,
      pct(err("ips")),
      pct(err("snips")),
      pct(err("dm")),
      pct(err("dr")),
      `±${((100 * (dr.upper - dr.lower)) / 2 / truth).toFixed(1)}%`,
      within ? "MET" : "MISSED",
      covered ? "MET" : "MISSED",
    ]);
  });
  printTable(
    [
      "target",
      "true value",
      `on-policy sim (${(DECISIONS / 1000).toFixed(0)}k)`,
      "IPS err",
      "SNIPS err",
      "DM err",
      "DR err",
      "DR CI half-width",
      "DR within 5%",
      "truth in DR CI",
    ],
    summary,
  );
  for (const t of list) console.log(`  ${t.name}: ${t.note}`);
  console.log(
    `\nDR within ${MAX_ERROR * 100}% of the true value for every target: ${allWithin ? "MET" : "MISSED"}`,
  );
  console.log(`every true value inside the DR 95% interval: ${allCovered ? "MET" : "MISSED"}`);

  if (REPLICATIONS > 0) await replications(world, logging, list, truths);
  console.log(
    `\nwrote ${OUT}/log.jsonl, the target files and ${OUT}/greedy-report.html; total ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** R more independent logs (other seeds): bias, RMSE and interval coverage per target and estimator. */
async function replications(
  world: World,
  logging: PolicyFn,
  list: readonly TargetPolicy[],
  truths: readonly number[],
): Promise<void> {
  const t0 = performance.now();
  const names = ["ips", "snips", "dm", "dr"] as const;
  const stats = list.map(() =>
    Object.fromEntries(names.map((e) => [e, { err: [] as number[], covered: 0, within: 0 }])),
  );
  for (let r = 0; r < REPLICATIONS; r++) {
    // In memory (the parser was exercised by the main run): the same rows, one reward-model fit per log.
    const seed = SEED + 1000 + r;
    const log = logDecisions(world, logging, seed);
    const rewardModel = fitRewardModel(log.rows, { seed });
    list.forEach((t, ti) => {
      const target: Target =
        t.via === "bandit"
          ? replayTarget
          : {
              kind: "function",
              name: t.name,
              distribution: (_row, i) => t.policy(log.customers[i]!, log.channels[i]!),
            };
      const report = evaluate(log.rows, target, {
        bootstrap: REP_BOOTSTRAP,
        seed,
        rewardModel,
        refitRewardModel: REP_REFIT,
      });
      const truth = truths[ti]!;
      for (const e of report.estimates) {
        const s = stats[ti]![e.estimator]!;
        const rel = (e.estimate - truth) / truth;
        s.err.push(rel);
        if (e.lower <= truth && truth <= e.upper) s.covered++;
        if (Math.abs(rel) <= MAX_ERROR) s.within++;
      }
    });
  }
  console.log(
    `\nOver ${REPLICATIONS} further independent logs of ${DECISIONS.toLocaleString()} decisions (seeds ${SEED + 1000}..${SEED + 999 + REPLICATIONS}, ${REP_BOOTSTRAP} bootstrap replicates each, reward model ${REP_REFIT ? "refitted per replicate" : "fitted once per log (--rep-refit 1 refits it per replicate)"}, ${((performance.now() - t0) / 1000).toFixed(0)} s):`,
  );
  const table: string[][] = [];
  list.forEach((t, ti) => {
    for (const e of names) {
      const s = stats[ti]![e]!;
      const mean = s.err.reduce((a, b) => a + b, 0) / s.err.length;
      const rmse = Math.sqrt(s.err.reduce((a, b) => a + b * b, 0) / s.err.length);
      const sd = Math.sqrt(s.err.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, s.err.length - 1));
      table.push([
        t.name,
        e.toUpperCase(),
        `${pct(mean)} ± ${(100 * 1.96 * (sd / Math.sqrt(s.err.length))).toFixed(2)}%`,
        `${(100 * rmse).toFixed(2)}%`,
        `${s.covered}/${REPLICATIONS}`,
        `${s.within}/${REPLICATIONS}`,
      ]);
    }
  });
  printTable(["target", "estimator", "mean error (95% CI)", "RMSE", "truth in 95% CI", "within 5%"], table);
}

await main();
