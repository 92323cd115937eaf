/**
 * npm run bench:bandit -- [--seeds 7,8,9,10,11 | --seed S] [--decisions N] [--customers N]
 *   [--policy FILE] [--draws M] [--only name,name] [--scale v] [--ridge λ] [--alpha α]
 *   [--model linear|logistic]
 * Contextual bandits on the generator's ground truth: every policy faces the same seeded stream of
 * decisions (customer, channel, eligible actions) and the same acceptance draws; rewards arrive in
 * batches (delayed feedback). The bandits' settings are the policy file's `bandit` section (what the
 * service and the learner run); --scale, --ridge, --alpha and --model override them for experiments only, and
 * the output says so. Prints a table per seed and, with several seeds, one row per seed; writes
 * out/bandit-report.html (inline SVG charts) for the last seed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import type { Arm, Bandit, BanditConfig, ExplorationParams } from "../src/bandit/index.js";
import {
  banditConfigFromPolicy,
  createBandit,
  DEFAULT_CONTEXT_ENCODER,
  DEFAULT_THOMPSON_DRAWS,
} from "../src/bandit/index.js";
import { invertSpd } from "../src/bandit/linear-algebra.js";
import { writeArmFeatures } from "../src/bandit/ridge-arm.js";
import type { BehaviourEvent } from "../src/features/event-schema.js";
import { FEATURE_PLAN } from "../src/features/feature-plan.js";
import { buildPointInTimeFeatures } from "../src/features/point-in-time-builder.js";
import { CHANNELS, type Channel } from "../src/features/vocabulary.js";
import {
  ACTION_CATALOGUE,
  type ActionId,
  acceptanceProbability,
  DEFAULT_END,
  generateSample,
  isEligible,
  observedFromFeatures,
} from "../src/generator/index.js";
import { loadPolicyFile } from "../src/policy/index.js";
import { createRandom, type Random } from "../src/random/seeded-random.js";
import { renderSvg } from "../src/reporting/render-svg.js";
import { numberArg } from "./support/args.js";
import { fmt, printTable } from "./support/stats.js";

const DECISIONS = numberArg("decisions", 100_000);
const CUSTOMERS = numberArg("customers", 5_000);
const SEEDS = (() => {
  const i = process.argv.indexOf("--seeds");
  return i > 0 ? process.argv[i + 1]!.split(",").map(Number) : [numberArg("seed", 7)];
})();
const POLICY_FILE = (() => {
  const i = process.argv.indexOf("--policy");
  return i > 0 ? process.argv[i + 1]! : "data/policies/bank-policy.yaml";
})();
const BATCH = numberArg("batch", 500);
const LAST = Math.min(20_000, DECISIONS);
const CURVE_EVERY = 1_000;
const TARGET_SHARE = 0.9;
/** Channel mix of the decision stream (shares of decisions). */
const CHANNEL_MIX: Readonly<Record<Channel, number>> = {
  web: 0.35,
  app: 0.35,
  email: 0.1,
  call_centre: 0.1,
  branch: 0.1,
};

const encoder = DEFAULT_CONTEXT_ENCODER;
const A = ACTION_CATALOGUE.length;
const C = CHANNELS.length;

// ---------------------------------------------------------------- the world
interface World {
  readonly n: number;
  /** Context vector per customer × channel (encoded once; the encoder is pure). */
  readonly contexts: Float64Array[];
  /** True P(accept) per (customer, channel, action). */
  readonly truth: Float64Array;
  /** Eligible action indexes per customer. */
  readonly eligible: number[][];
  /** Offline prior per action: its acceptance rate in the generated history. */
  readonly priors: Float64Array;
  readonly values: Float64Array;
}

function buildWorld(seed: number): World {
  const t0 = performance.now();
  const sample = generateSample({ customers: CUSTOMERS, days: 90, seed, end: DEFAULT_END });
  const active = sample.customers.filter((c) => c.activeAtLabelTime);
  const profiles = new Map(sample.profiles.map((p) => [p.customerId, p.profile]));
  const rows = buildPointInTimeFeatures(
    FEATURE_PLAN,
    sample.events as BehaviourEvent[],
    active.map((c) => ({ customerId: c.customerId, asOf: c.labelTime })),
    profiles,
  );
  const n = active.length;
  const truth = new Float64Array(n * C * A);
  const contexts: Float64Array[] = [];
  const eligible: number[][] = [];
  for (let i = 0; i < n; i++) {
    const vector = rows[i]!.vector;
    const record = Object.fromEntries(FEATURE_PLAN.names.map((name, j) => [name, vector[j]!]));
    const observed = observedFromFeatures(record);
    const traits = active[i]!.traits;
    eligible.push(ACTION_CATALOGUE.flatMap((a, j) => (isEligible(a, observed.productsHeld) ? [j] : [])));
    CHANNELS.forEach((channel, c) => {
      contexts.push(encoder.encode({ features: vector, journey: "cross_sell", step: "browse", channel }));
      ACTION_CATALOGUE.forEach((a, j) => {
        truth[(i * C + c) * A + j] = acceptanceProbability(traits, observed, a.id as ActionId, { channel });
      });
    });
  }
  // The offline prior: each action's acceptance rate under the historical logging policy (smoothed).
  const shown = new Float64Array(A);
  const accepted = new Float64Array(A);
  const index = new Map(ACTION_CATALOGUE.map((a, j) => [a.id as string, j]));
  for (const o of sample.offers) {
    const j = index.get(o.actionId)!;
    shown[j] = shown[j]! + 1;
    if (o.accepted) accepted[j] = accepted[j]! + 1;
  }
  const overall = accepted.reduce((s, v) => s + v, 0) / shown.reduce((s, v) => s + v, 0);
  const priors = new Float64Array(A).map((_, j) => (accepted[j]! + 20 * overall) / (shown[j]! + 20));
  const values = new Float64Array(ACTION_CATALOGUE.map((a) => a.value));
  console.log(
    `world: ${n.toLocaleString()} active customers of ${CUSTOMERS.toLocaleString()} generated (seed ${seed}), ` +
      `${sample.offers.length.toLocaleString()} historical offers for the priors, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { n, contexts, truth, eligible, priors, values };
}

// ---------------------------------------------------------------- policies
interface Policy {
  readonly name: string;
  readonly note: string;
  /** Index into `eligible` of the chosen action; `rng` is the policy's own stream. */
  choose(customer: number, channel: number, eligible: readonly number[], rng: Random): number;
  learn?(customer: number, channel: number, action: number, reward: number): void;
  /** Called every BATCH decisions: the delayed rewards become available. */
  flush?(): void;
  readonly bandit?: Bandit;
}

function banditPolicy(name: string, note: string, world: World, config: BanditConfig): Policy {
  const bandit = createBandit(config);
  const arms: Arm[][] = world.eligible.map((list) =>
    list.map((j) => ({
      actionId: ACTION_CATALOGUE[j]!.id,
      prior: world.priors[j]!,
      multiplier: world.values[j]!,
    })),
  );
  const pending: { x: Float64Array; actionId: string; prior: number; reward: number }[] = [];
  return {
    name,
    note,
    bandit,
    choose: (customer, channel, _eligible, rng) =>
      bandit.choose(world.contexts[customer * C + channel]!, arms[customer]!, rng).order[0]!,
    learn: (customer, channel, action, reward) =>
      pending.push({
        x: world.contexts[customer * C + channel]!,
        actionId: ACTION_CATALOGUE[action]!.id,
        prior: world.priors[action]!,
        reward,
      }),
    flush: () => {
      for (const p of pending) bandit.learn(p.x, p.actionId, p.prior, p.reward);
      pending.length = 0;
    },
  };
}

function argmax(list: readonly number[], score: (j: number) => number): number {
  let best = 0;
  for (let i = 1; i < list.length; i++) if (score(list[i]!) > score(list[best]!)) best = i;
  return best;
}

/**
 * Not a feasible policy: per action, a least-squares fit of the TRUE acceptance probability on the
 * same x_a the bandits use, over every (customer, channel), then greedy. It shows how much of the
 * oracle this context vector lets a linear model reach at all (the oracle also sees latent traits).
 */
function ceilingPolicy(world: World): Policy {
  const d = encoder.dim + 3;
  const thetas = ACTION_CATALOGUE.map((_, j) => {
    const m = new Float64Array(d * d);
    const v = new Float64Array(d);
    for (let i = 0; i < d; i++) m[i * d + i] = 1e-6;
    const xa = new Float64Array(d);
    for (let c = 0; c < world.n; c++) {
      if (!world.eligible[c]!.includes(j)) continue;
      for (let ch = 0; ch < C; ch++) {
        xa.set(world.contexts[c * C + ch]!);
        writeArmFeatures(xa, encoder.dim, world.priors[j]!);
        const y = world.truth[(c * C + ch) * A + j]!;
        for (let a = 0; a < d; a++) {
          const xa_a = xa[a]!;
          if (xa_a === 0) continue;
          v[a] = v[a]! + xa_a * y;
          for (let b = 0; b < d; b++) m[a * d + b] = m[a * d + b]! + xa_a * xa[b]!;
        }
      }
    }
    const inv = invertSpd(m, d);
    return new Float64Array(d).map((_, a) => v.reduce((s, vb, b) => s + inv[a * d + b]! * vb, 0));
  });
  const predicted = new Float64Array(world.n * C * A);
  const xa = new Float64Array(d);
  for (let c = 0; c < world.n; c++) {
    for (let ch = 0; ch < C; ch++) {
      for (const j of world.eligible[c]!) {
        xa.set(world.contexts[c * C + ch]!);
        writeArmFeatures(xa, encoder.dim, world.priors[j]!);
        predicted[(c * C + ch) * A + j] = xa.reduce((s, x, a) => s + x * thetas[j]![a]!, 0);
      }
    }
  }
  return {
    name: "linear ceiling",
    note: "not feasible: linear fit on TRUE P(accept) over the same x_a, then greedy",
    choose: (customer, channel, eligible) =>
      argmax(eligible, (j) => predicted[(customer * C + channel) * A + j]! * world.values[j]!),
  };
}

/** The bandit settings under test: the policy file's, unless a flag overrides one (experiments). */
interface Settings {
  readonly thompson: BanditConfig;
  readonly linucb: BanditConfig;
  /** Ridge for greedy and epsilon-greedy (the policy sets none): Thompson sampling's (and its model). */
  readonly ridge: number;
  readonly source: string;
}

async function loadSettings(): Promise<Settings> {
  const policy = await loadPolicyFile(POLICY_FILE);
  const b = policy.document.bandit;
  const overridden: string[] = [];
  const flag = (name: string, value: number) => {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0) return value;
    overridden.push(`--${name}`);
    return Number(process.argv[i + 1]);
  };
  const ridge = flag("ridge", b.thompson.ridge);
  const modelFlag = process.argv.indexOf("--model");
  if (modelFlag > 0) overridden.push("--model");
  const model = modelFlag > 0 ? (process.argv[modelFlag + 1] as "linear" | "logistic") : b.model;
  const thompson = {
    ...b,
    ...(model ? { model } : {}),
    algorithm: "thompson" as const,
    thompson: {
      ...b.thompson,
      posteriorScale: flag("scale", b.thompson.posteriorScale),
      ridge,
      // What the service draws: the policy's `thompson.draws`, else the default. The count changes how
      // finely P(first) is logged and the CPU, not the distribution of the arm played.
      draws: flag("draws", b.thompson.draws ?? DEFAULT_THOMPSON_DRAWS),
    },
  };
  const linucb = {
    ...b,
    ...(model ? { model } : {}),
    algorithm: "linucb" as const,
    linucb: { ...b.linucb, alpha: flag("alpha", b.linucb.alpha), ridge: flag("ridge", b.linucb.ridge) },
  };
  return {
    thompson: banditConfigFromPolicy(thompson, encoder),
    linucb: banditConfigFromPolicy(linucb, encoder),
    ridge,
    source:
      `${POLICY_FILE} (policy ${policy.version})` +
      (overridden.length > 0 ? `, overridden by ${overridden.join(" ")}: NOT what ships` : ""),
  };
}

const describeExploration = (e: ExplorationParams): string => {
  switch (e.algorithm) {
    case "thompson":
      return `v = ${e.posteriorScale}, ${e.draws} draws`;
    case "linucb":
      return `α = ${e.alpha}, ${e.epsilon > 0 ? `epsilon floor ${e.epsilon}` : "no epsilon floor"}`;
    case "epsilon_greedy":
      return `ε = ${e.epsilon}`;
    case "softmax":
      return `τ = ${e.temperature}`;
  }
};

function policies(world: World, settings: Settings): Policy[] {
  const ev = (customer: number, channel: number, j: number) =>
    world.truth[(customer * C + channel) * A + j]! * world.values[j]!;
  const ridgeConfig = (exploration: ExplorationParams): BanditConfig => ({
    ...settings.thompson,
    exploration,
    ridge: settings.ridge,
  });
  const RIDGE = settings.ridge;
  return [
    {
      name: "random",
      note: "uniform over eligible actions",
      choose: (_c, _ch, eligible, rng) => rng.int(eligible.length),
    },
    {
      name: "static propensity",
      note: "argmax prior × value, prior = the action's historical acceptance rate; no learning",
      choose: (_c, _ch, eligible) => argmax(eligible, (j) => world.priors[j]! * world.values[j]!),
    },
    banditPolicy(
      "greedy",
      `posterior mean of the policy's ${settings.thompson.scorer} arms, no exploration (ε = 0), λ = ${RIDGE}`,
      world,
      ridgeConfig({ algorithm: "epsilon_greedy", epsilon: 0 }),
    ),
    banditPolicy(
      "epsilon-greedy",
      `ε = 0.05 over the ${settings.thompson.scorer} arms' posterior mean, λ = ${RIDGE}`,
      world,
      ridgeConfig({ algorithm: "epsilon_greedy", epsilon: 0.05 }),
    ),
    banditPolicy(
      "LinUCB",
      `the policy's linucb block: ${describeExploration(settings.linucb.exploration)}, λ = ${settings.linucb.ridge}, ${settings.linucb.scorer} arms`,
      world,
      settings.linucb,
    ),
    banditPolicy(
      "Thompson sampling",
      `the policy's thompson block: ${describeExploration(settings.thompson.exploration)}, λ = ${settings.thompson.ridge}, ${settings.thompson.scorer} arms`,
      world,
      settings.thompson,
    ),
    {
      name: "oracle",
      note: "argmax true P(accept) × value (sees latent traits)",
      choose: (customer, channel, eligible) => argmax(eligible, (j) => ev(customer, channel, j)),
    },
  ];
}

// ---------------------------------------------------------------- the run
interface Result {
  readonly name: string;
  readonly note: string;
  realized: number;
  expected: number;
  expectedLast: number;
  regret: number;
  /** µs per decision inside the run (the eligible arms only). */
  microseconds: number;
  /** µs per decision with all 20 actions as arms, on the trained bandit. */
  microseconds20?: number;
  readonly curve: { t: number; expected: number; regret: number }[];
}

interface Stream {
  readonly customers: Int32Array;
  readonly channels: Uint8Array;
  /** Uniform draw deciding acceptance: accepted when draw < true P (common random numbers). */
  readonly draws: Float64Array;
  /** Oracle expected reward per decision. */
  readonly best: Float64Array;
}

function decisionStream(world: World, seed: number): Stream {
  const rng = createRandom(seed).fork("decision-stream");
  const customers = new Int32Array(DECISIONS);
  const channels = new Uint8Array(DECISIONS);
  const draws = new Float64Array(DECISIONS);
  const best = new Float64Array(DECISIONS);
  const cumulative: number[] = [];
  let total = 0;
  for (const c of CHANNELS) {
    total += CHANNEL_MIX[c];
    cumulative.push(total);
  }
  for (let t = 0; t < DECISIONS; t++) {
    const customer = rng.int(world.n);
    const u = rng.next();
    const channel = Math.max(
      0,
      cumulative.findIndex((c) => u < c),
    );
    customers[t] = customer;
    channels[t] = channel;
    draws[t] = rng.next();
    const base = (customer * C + channel) * A;
    for (const j of world.eligible[customer]!)
      best[t] = Math.max(best[t]!, world.truth[base + j]! * world.values[j]!);
  }
  return { customers, channels, draws, best };
}

function simulate(world: World, stream: Stream, policy: Policy, seed: number): Result {
  const rng = createRandom(seed).fork(`policy:${policy.name}`);
  const r: Result = {
    name: policy.name,
    note: policy.note,
    realized: 0,
    expected: 0,
    expectedLast: 0,
    regret: 0,
    microseconds: 0,
    curve: [],
  };
  let chooseMs = 0;
  for (let t = 0; t < DECISIONS; t++) {
    const customer = stream.customers[t]!;
    const channel = stream.channels[t]!;
    const eligible = world.eligible[customer]!;
    const t0 = performance.now();
    const j = eligible[policy.choose(customer, channel, eligible, rng)]!;
    chooseMs += performance.now() - t0;
    const p = world.truth[(customer * C + channel) * A + j]!;
    const accepted = stream.draws[t]! < p;
    const value = world.values[j]!;
    r.realized += accepted ? value : 0;
    r.expected += p * value;
    r.regret += stream.best[t]! - p * value;
    if (t >= DECISIONS - LAST) r.expectedLast += p * value;
    // The bandit learns acceptance (0/1); its multiplier (the value) turns estimates into EUR.
    policy.learn?.(customer, channel, j, accepted ? 1 : 0);
    if ((t + 1) % BATCH === 0) policy.flush?.();
    if ((t + 1) % CURVE_EVERY === 0) r.curve.push({ t: t + 1, expected: r.expected, regret: r.regret });
  }
  r.microseconds = (chooseMs * 1000) / DECISIONS;
  return r;
}

/** µs per decision with all 20 actions as arms and d = 48, on a trained bandit (median of 3 runs). */
function time20Arms(world: World, bandit: Bandit, seed: number): number {
  const arms: Arm[] = ACTION_CATALOGUE.map((a, j) => ({
    actionId: a.id,
    prior: world.priors[j]!,
    multiplier: world.values[j]!,
  }));
  const rng = createRandom(seed).fork("timing");
  const contexts = world.contexts;
  const n = 10_000;
  for (let i = 0; i < 2_000; i++) bandit.choose(contexts[i % contexts.length]!, arms, rng);
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) bandit.choose(contexts[(i * 7919 + run) % contexts.length]!, arms, rng);
    runs.push(((performance.now() - t0) * 1000) / n);
  }
  return runs.sort((a, b) => a - b)[1]!;
}

/** µs per Sherman-Morrison learn of a ridge arm (d = 48 context, D = 51). */
function timeLearn(world: World): number {
  const bandit = createBandit({
    exploration: { algorithm: "epsilon_greedy", epsilon: 0 },
    scorer: "ridge",
    ridge: 1,
    contextDim: encoder.dim,
    contextSchema: encoder.schema,
  });
  const n = 20_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++)
    bandit.learn(world.contexts[i % world.contexts.length]!, `a${i % 20}`, 0.05, i % 7 ? 0 : 1);
  return ((performance.now() - t0) * 1000) / n;
}

// ---------------------------------------------------------------- report
async function svgChart(
  title: string,
  yTitle: string,
  values: { decisions: number; policy: string; value: number }[],
): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: 680,
    height: 300,
    data: { values },
    mark: { type: "line", strokeWidth: 2 },
    encoding: {
      x: { field: "decisions", type: "quantitative", title: "decisions" },
      y: { field: "value", type: "quantitative", title: yTitle },
      color: { field: "policy", type: "nominal", sort: null },
    },
  };
  return renderSvg(spec);
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function writeReport(
  results: readonly Result[],
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  targets: readonly string[],
  context: string,
): Promise<string> {
  const curves = results.filter((r) => r.name !== "linear ceiling");
  const reward = curves.flatMap((r) =>
    r.curve.map((p) => ({ decisions: p.t, policy: r.name, value: p.expected })),
  );
  const regret = curves
    .filter((r) => r.name !== "oracle")
    .flatMap((r) => r.curve.map((p) => ({ decisions: p.t, policy: r.name, value: p.regret })));
  const oracle = results.find((r) => r.name === "oracle");
  // The share of the oracle per window needs the oracle's run (absent under --only without it).
  const windowed = (oracle ? curves : []).flatMap((r) =>
    r.curve
      .filter((_, i) => (i + 1) % 5 === 0)
      .map((p, i, all) => {
        const prev = i === 0 ? { t: 0, expected: 0 } : all[i - 1]!;
        const o = oracle!.curve[p.t / CURVE_EVERY - 1]!;
        const oPrev = i === 0 ? 0 : oracle!.curve[prev.t / CURVE_EVERY - 1]!.expected;
        return {
          decisions: p.t,
          policy: r.name,
          value: (100 * (p.expected - prev.expected)) / (o.expected - oPrev),
        };
      }),
  );
  const charts = await Promise.all([
    svgChart("Cumulative expected reward (EUR)", "EUR", reward),
    svgChart("Cumulative regret against the oracle (EUR, expected)", "EUR", regret),
    svgChart("Share of the oracle's reward per 5,000 decisions (%)", "% of oracle", windowed),
  ]);
  const table = `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td${i === 0 ? "" : ' class="n"'}>${escapeHtml(c)}</td>`).join("")}</tr>`,
    )
    .join("")}</tbody></table>`;
  const notes = results.map((r) => `<li><b>${escapeHtml(r.name)}</b>: ${escapeHtml(r.note)}</li>`).join("");
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bandit benchmark</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
.met{color:#1a7f37}.missed{color:#cf222e;font-weight:bold}figure{margin:1.5em 0}
</style></head><body>
<h1>Contextual bandits on the synthetic bank</h1>
<p>${escapeHtml(context)}</p>
${table}
<ul>${targets.map((t) => `<li class="${t.startsWith("MET") ? "met" : "missed"}">${escapeHtml(t)}</li>`).join("")}</ul>
<h2>Policies</h2><ul>${notes}</ul>
${charts.map((svg) => `<figure>${svg}</figure>`).join("\n")}
<p>Generated by <code>npm run bench:bandit</code> (bench/bandit-bench.ts). Deterministic: seeded world, decision stream and
policies; only the timings vary between runs.</p>
</body></html>
`;
  mkdirSync("out", { recursive: true });
  const path = "out/bandit-report.html";
  writeFileSync(path, html);
  return path;
}

interface SeedSummary {
  readonly seed: number;
  readonly shares: ReadonlyMap<string, number>;
  readonly tsMet: boolean | undefined;
  readonly beatsStatic: boolean | undefined;
}

async function runSeed(seed: number, settings: Settings, report: boolean): Promise<SeedSummary> {
  const world = buildWorld(seed);
  const stream = decisionStream(world, seed);
  const only = process.argv.indexOf("--only");
  const wanted = only > 0 ? process.argv[only + 1]!.split(",") : undefined;
  const list = [...policies(world, settings), ...(wanted ? [] : [ceilingPolicy(world)])].filter(
    (p) => !wanted || wanted.some((w) => p.name.startsWith(w)),
  );
  const results: Result[] = [];
  for (const policy of list) {
    const t0 = performance.now();
    const r = simulate(world, stream, policy, seed);
    if (policy.bandit && report) r.microseconds20 = time20Arms(world, policy.bandit, seed);
    results.push(r);
    console.log(`  ${policy.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const learnUs = report ? timeLearn(world) : Number.NaN;

  const oracle = results.find((r) => r.name === "oracle");
  const share = (r: Result) => (oracle ? r.expectedLast / oracle.expectedLast : Number.NaN);
  const headers = [
    "policy",
    "reward (EUR)",
    "expected reward",
    `expected, last ${LAST.toLocaleString()}`,
    "% of oracle (last)",
    "regret (expected)",
    "µs/decision (20 arms)",
  ];
  const rows = results.map((r) => [
    r.name,
    fmt(r.realized),
    fmt(r.expected),
    fmt(r.expectedLast),
    fmt(100 * share(r), 1),
    fmt(r.regret),
    r.microseconds20 === undefined ? "-" : fmt(r.microseconds20, 1),
  ]);
  console.log();
  printTable(headers, rows);
  console.log();
  for (const r of results) console.log(`  ${r.name}: ${r.note}`);
  console.log(
    `  reward = value (EUR) if accepted, 0 otherwise (the arbitration objective; the oracle maximises the same). ` +
      `"expected" sums the true P(accept) × value of each choice (same decisions, no Bernoulli noise).`,
  );
  if (report)
    console.log(
      `  learn (Sherman-Morrison + θ = A⁻¹b, D = ${encoder.dim + 3}): ${fmt(learnUs, 1)} µs per reward`,
    );

  const ts = results.find((r) => r.name === "Thompson sampling");
  const stat = results.find((r) => r.name === "static propensity");
  const ceiling = results.find((r) => r.name === "linear ceiling");
  const targets: string[] = [];
  const tsMet = ts && oracle ? 100 * share(ts) >= TARGET_SHARE * 100 : undefined;
  const beatsStatic = ts && stat ? ts.expectedLast > stat.expectedLast : undefined;
  if (ts && oracle) {
    const pct = 100 * share(ts);
    targets.push(
      `${tsMet ? "MET" : "MISSED"}: Thompson sampling reaches ${fmt(pct, 1)}% of the oracle over the last ${LAST.toLocaleString()} decisions (target >= ${TARGET_SHARE * 100}%; seed ${seed})` +
        (ceiling ? `; the linear ceiling of this context vector is ${fmt(100 * share(ceiling), 1)}%` : ""),
    );
  }
  if (ts && stat) {
    targets.push(
      `${beatsStatic ? "MET" : "MISSED"}: Thompson sampling beats static propensity ranking over the last ${LAST.toLocaleString()} (${fmt(ts.expectedLast)} vs ${fmt(stat.expectedLast)} EUR expected)`,
    );
  }
  console.log();
  for (const t of targets) console.log(t);
  if (report) {
    const context =
      `${DECISIONS.toLocaleString()} decisions over ${world.n.toLocaleString()} generated customers (seed ${seed}), channel mix ` +
      `${CHANNELS.map((c) => `${c} ${CHANNEL_MIX[c] * 100}%`).join(", ")}; candidates = every eligible action; multiplier = value; ` +
      `rewards delivered in batches of ${BATCH}. Reward = value if accepted. Bandit settings: ${settings.source}. ` +
      `Learn: ${fmt(learnUs, 1)} µs per reward.`;
    const path = await writeReport(results, headers, rows, targets, context);
    console.log(`\nreport: ${path}`);
  }
  return { seed, shares: new Map(results.map((r) => [r.name, 100 * share(r)])), tsMet, beatsStatic };
}

async function main(): Promise<void> {
  const settings = await loadSettings();
  console.log(
    `bench:bandit: ${DECISIONS.toLocaleString()} decisions, rewards delivered in batches of ${BATCH}, ` +
      `context d = ${encoder.dim} (+3 arm features), Node ${process.version}\nbandit settings: ${settings.source}`,
  );
  const started = performance.now();
  const summaries: SeedSummary[] = [];
  for (const [i, seed] of SEEDS.entries()) {
    console.log(`\n---- seed ${seed}`);
    summaries.push(await runSeed(seed, settings, i === SEEDS.length - 1));
  }
  if (summaries.length > 1) {
    const names = [...summaries[0]!.shares.keys()].filter((n) => n !== "oracle");
    const verdict = (v: boolean | undefined) => (v === undefined ? "-" : v ? "MET" : "MISSED");
    console.log(
      `\n% of the oracle's expected reward over the last ${LAST.toLocaleString()} decisions, per seed:\n`,
    );
    printTable(
      ["seed", ...names, "TS >= 90%", "TS > static"],
      summaries.map((s) => [
        String(s.seed),
        ...names.map((n) => fmt(s.shares.get(n) ?? Number.NaN, 1)),
        verdict(s.tsMet),
        verdict(s.beatsStatic),
      ]),
    );
    const met = summaries.filter((s) => s.tsMet && s.beatsStatic).length;
    console.log(`\nboth targets met on ${met} of ${summaries.length} seeds`);
  }
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
}

await main();
