/**
 * The generated-data models judged on customers they never saw. The bench's test split (18k churn
 * rows, under 900 positives) leaves the gap to the true probabilities' AUC with a standard error
 * near 0.003, too wide to judge a 0.01 target; customers [C, C + N) of the same generator are an
 * independent population as large as we care to pay for. The generator gives each customer its own
 * random stream, so customer i is the same whether 100k or 1M are generated: these customers
 * follow the training population's distribution without overlapping it.
 */
import type { BehaviourEvent } from "../../src/features/event-schema.js";
import type { CustomerProfile } from "../../src/features/profile-schema.js";
import {
  type CustomerTruth,
  customerSimulator,
  type GenerateOptions,
  type OfferRecord,
} from "../../src/generator/index.js";
import { bootstrap } from "../../src/ope/bootstrap.js";
import { type GeneratedTask, generatedSet } from "../../src/training/data/generated-source.js";
import { brierScore } from "../../src/training/metrics/probability-scores.js";
import { rocAuc } from "../../src/training/metrics/roc-auc.js";
import { predictLearned } from "../../src/training/pipeline/learned-model.js";
import type { TrainingRun } from "../../src/training/pipeline/run-training.js";
import { encodeTable } from "../../src/training/prep/encode-table.js";
import { type TrainingSet, takeValues } from "../../src/training/table.js";

/** Customers simulated per chunk: a chunk's event log (about 40 events a customer) stays small. */
const CHUNK = 10_000;

/** Each task's rows of customers [first, first + count), one training set per chunk of customers. */
export type Population = Record<GeneratedTask, TrainingSet[] | undefined>;

/**
 * Builds the rows with the bench's own code path (`generatedSet`, the function
 * `streamedGeneratedSets` matches row for row), a chunk of customers at a time, so memory holds
 * the rows and one chunk's events, never the population's event log.
 */
export function independentPopulation(
  tasks: readonly GeneratedTask[],
  options: GenerateOptions,
  first: number,
  count: number,
  progress: (done: number) => void,
): Population {
  // `customers` only bounds the index range; a customer's history does not depend on it.
  const simulate = customerSimulator({ ...options, customers: first + count });
  const chunks = new Map(tasks.map((t) => [t, [] as TrainingSet[]]));
  for (let from = first; from < first + count; from += CHUNK) {
    const to = Math.min(first + count, from + CHUNK);
    const events: BehaviourEvent[] = [];
    const profiles = new Map<string, CustomerProfile>();
    const customers: CustomerTruth[] = [];
    const offers: OfferRecord[] = [];
    for (let i = from; i < to; i++) {
      const h = simulate(i);
      for (const e of h.events) events.push(e as BehaviourEvent);
      profiles.set(h.customerId, h.profile);
      customers.push(h.truth);
      for (const o of h.offers) offers.push(o);
    }
    const input = { events, profiles, customers, offers, source: "independent", dataHash: "" };
    for (const [task, into] of chunks) into.push(generatedSet(task, input));
    progress(to - first);
  }
  return { churn: chunks.get("churn"), propensity: chunks.get("propensity") };
}

/** Scores, labels and true probabilities of a set of rows, in one order. */
export interface Scored {
  readonly p: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
  readonly truth: ArrayLike<number>;
}

/**
 * The run's model on the population's rows at or after `from` (epoch ms): a time split tests on
 * the latest rows only, so the independent rows are taken from the same period. Inputs are encoded
 * with the run's own fitted preprocessing and scored by the model the bench's test metrics use.
 */
export function scorePopulation(run: TrainingRun, chunks: readonly TrainingSet[], from: number): Scored {
  const parts = chunks.map((set) => {
    const rows = Uint32Array.from({ length: set.labels.length }, (_, r) => r).filter(
      (r) => set.times![r]! >= from,
    );
    const x = encodeTable(run.trained.inputs, set.table, rows);
    return {
      p: predictLearned(run.trained.model, x),
      labels: takeValues(set.labels, rows),
      truth: takeValues(set.truth!, rows),
    };
  });
  const n = parts.reduce((s, part) => s + part.labels.length, 0);
  const out = { p: new Float32Array(n), labels: new Uint8Array(n), truth: new Float64Array(n) };
  let at = 0;
  for (const part of parts) {
    out.p.set(part.p, at);
    out.labels.set(part.labels, at);
    out.truth.set(part.truth, at);
    at += part.labels.length;
  }
  return out;
}

/** Earliest decision time of the test rows: the start of the period the model is tested on. */
export function testPeriodStart(set: TrainingSet, test: ArrayLike<number>): number {
  let from = Number.POSITIVE_INFINITY;
  for (let i = 0; i < test.length; i++) from = Math.min(from, set.times![test[i]!]!);
  return from;
}

/**
 * Rows sorted by descending score, with where each run of tied scores ends: a bootstrap replicate
 * then costs one pass over the rows instead of a sort (200 replicates of 300k rows would otherwise
 * spend most of a minute sorting).
 */
interface Ranking {
  readonly order: Uint32Array;
  /** 1 at the last position of each run of equal scores. */
  readonly groupEnd: Uint8Array;
}

function ranking(scores: ArrayLike<number>): Ranking {
  const order = Uint32Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => scores[b]! - scores[a]!,
  );
  const groupEnd = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++)
    groupEnd[k] = k === order.length - 1 || scores[order[k + 1]!] !== scores[order[k]!] ? 1 : 0;
  return { order, groupEnd };
}

/**
 * ROC AUC with each row counted `counts[i]` times (a bootstrap replicate), ties counting one half:
 * `rocAuc` on the resampled rows, which has no weights and would re-sort every replicate.
 */
function countedAuc(r: Ranking, labels: ArrayLike<number>, counts: ArrayLike<number>): number {
  let area = 0;
  let positives = 0;
  let negatives = 0;
  let groupPositives = 0;
  let groupNegatives = 0;
  for (let k = 0; k < r.order.length; k++) {
    const i = r.order[k]!;
    if (labels[i] === 1) groupPositives += counts[i]!;
    else groupNegatives += counts[i]!;
    if (r.groupEnd[k] === 1) {
      area += groupNegatives * (positives + groupPositives / 2);
      positives += groupPositives;
      negatives += groupNegatives;
      groupPositives = 0;
      groupNegatives = 0;
    }
  }
  return positives === 0 || negatives === 0 ? Number.NaN : area / (positives * negatives);
}

export interface GapStats {
  readonly rows: number;
  readonly positives: number;
  readonly auc: number;
  readonly truthAuc: number;
  /** Truth AUC minus model AUC. */
  readonly gap: number;
  /** Paired bootstrap standard error of the gap (model and truth on the same replicates). */
  readonly gapSE: number;
  readonly brier: number;
  readonly truthBrier: number;
}

export function gapStats(s: Scored, replicates: number, seed: number): GapStats {
  const auc = rocAuc(s.p, s.labels);
  const truthAuc = rocAuc(s.truth, s.labels);
  const model = ranking(s.p);
  const truth = ranking(s.truth);
  // The one-pass AUC must agree with the project's on unit counts, or its standard error means nothing.
  const check = countedAuc(model, s.labels, new Uint8Array(s.labels.length).fill(1));
  if (Math.abs(check - auc) > 1e-9) throw new Error(`counted AUC ${check} differs from rocAuc ${auc}`);
  const [gap] = bootstrap(
    s.labels.length,
    [(counts) => countedAuc(truth, s.labels, counts) - countedAuc(model, s.labels, counts)],
    { replicates, seed, confidence: 0.95 },
  );
  let positives = 0;
  for (let i = 0; i < s.labels.length; i++) positives += s.labels[i]!;
  return {
    rows: s.labels.length,
    positives,
    auc,
    truthAuc,
    gap: truthAuc - auc,
    gapSE: gap!.standardError,
    brier: brierScore(s.p, s.labels),
    truthBrier: brierScore(s.truth, s.labels),
  };
}
