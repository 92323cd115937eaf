/**
 * Churn and propensity training sets from the synthetic bank: a dataset folder written by
 * `npm run data:generate`, an in-memory sample, or (for 100k+ customers) a stream of customer
 * histories that never holds the whole event log.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { readEventLog } from "../../features/event-log.js";
import type { BehaviourEvent } from "../../features/event-schema.js";
import { FEATURE_PLAN } from "../../features/feature-plan.js";
import { type CustomerProfile, customerProfileSchema } from "../../features/profile-schema.js";
import { BUSINESS_UNITS, CHANNELS } from "../../features/vocabulary.js";
import {
  type CustomerTruth,
  DEFAULT_END,
  GENERATOR_VERSION,
  type GenerateOptions,
  generateCustomers,
  generateSample,
  type OfferRecord,
  type ProfileRecord,
} from "../../generator/index.js";
import type { SourceInfo, TrainingSet } from "../table.js";
import { CsvInputError } from "./csv-config.js";
import { addDerivedColumns, formulaMap } from "./derived-columns.js";
import { CHURN_FORMULAS, ENGINEERED_RAW, PROPENSITY_FORMULAS } from "./generated-formulas.js";
import {
  ACTION_INPUTS,
  ACTION_VALUE,
  CHURN_WINDOW_DAYS,
  churnDecisions,
  type DataProgress,
  earlierLabelTimes,
  featuresBefore,
  type LabelledDecision,
  propensityDecisions,
} from "./generated-rows.js";

export type GeneratedTask = "churn" | "propensity";

const DAY_MS = 86_400_000;

/** Everything a task needs from a generated dataset. */
export interface GeneratedInput {
  readonly events: readonly BehaviourEvent[];
  readonly profiles: ReadonlyMap<string, CustomerProfile>;
  readonly customers: readonly CustomerTruth[];
  readonly offers: readonly OfferRecord[];
  readonly source: string;
  readonly dataHash: string;
  /** Start of the simulated window (epoch ms): how much history an earlier churn label time has. */
  readonly start?: number;
}

/** How to build a task's rows. */
export interface GeneratedSetOptions {
  /**
   * Churn only: add rows at earlier label times (`earlierLabelTimes`), so the rows span time and a
   * time split trains on the past and tests on the latest label time. Default false.
   */
  readonly churnHistory?: boolean;
  /**
   * `engineered` (default): the derived inputs of generated-formulas.ts plus a few raw features
   * (`ENGINEERED_RAW`); `all`: every feature of the plan as well.
   */
  readonly inputs?: "engineered" | "all";
}

/** The default sample when no data is given: small enough to train in seconds. */
export const DEFAULT_SAMPLE: GenerateOptions = { customers: 5000, days: 90, seed: 42, end: DEFAULT_END };

const epochMs = z.number().int().nonnegative();
const probability = z.number().min(0).max(1);

/**
 * The fields training reads from each file (the rest, e.g. latent traits, pass through unread), so
 * a damaged or hand-edited line is refused naming its file and line rather than turning into NaN
 * features or a customer silently missing from the rows.
 */
const profileLine = z.object({ customerId: z.string().min(1), profile: customerProfileSchema });
const customerLine = z.looseObject({
  customerId: z.string().min(1),
  labelTime: epochMs,
  activeAtLabelTime: z.boolean(),
  churnProbability: probability.nullable(),
  churnedAt: epochMs.nullable(),
  churnedInLabelWindow: z.boolean(),
});
const offerLine = z.looseObject({
  customerId: z.string().min(1),
  actionId: z.string().refine((id) => ACTION_VALUE.has(id), "is not an action of the catalogue"),
  businessUnit: z.enum(BUSINESS_UNITS),
  channel: z.enum(CHANNELS),
  timestamp: epochMs,
  acceptProbability: probability,
  accepted: z.boolean(),
});

/** Every line of a JSONL file, each valid under `schema`; the first bad line is the error. */
function readJsonl<T>(path: string, schema: z.ZodType): T[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CsvInputError(`${path} is missing: --data must be a folder written by npm run data:generate`);
  }
  const rows: T[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new CsvInputError(`${path} line ${i + 1} is not valid JSON`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CsvInputError(`${path} line ${i + 1}: ${issue.path.join(".") || "(line)"}: ${issue.message}`);
    }
    rows.push(parsed.data as T);
  }
  return rows;
}

/** Reads a dataset folder; the data hash covers the four files the rows are built from. */
export async function readGeneratedDir(dir: string): Promise<GeneratedInput> {
  if (!existsSync(dir))
    throw new CsvInputError(`--data ${dir}: no such folder (write one with npm run data:generate)`);
  const hash = createHash("sha256");
  const files = ["events.jsonl", "profiles.jsonl", "customers.jsonl", "offers.jsonl"];
  for (const f of files) {
    try {
      hash.update(readFileSync(join(dir, f)));
    } catch {
      throw new CsvInputError(
        `${join(dir, f)} is missing: --data must be a folder written by npm run data:generate`,
      );
    }
  }
  const log = await readEventLog(join(dir, "events.jsonl"));
  let first = Number.POSITIVE_INFINITY;
  for (const e of log.events) if (e.timestamp < first) first = e.timestamp;
  if (log.problems.length > 0) {
    const p = log.problems[0]!;
    process.stderr.write(
      `warning: skipped ${log.problems.length} bad event lines (first: line ${p.line} ${p.field} ${p.reason})\n`,
    );
  }
  const profiles = readJsonl<ProfileRecord>(join(dir, "profiles.jsonl"), profileLine);
  return {
    events: log.events,
    profiles: new Map(profiles.map((p) => [p.customerId, p.profile])),
    customers: readJsonl<CustomerTruth>(join(dir, "customers.jsonl"), customerLine),
    offers: readJsonl<OfferRecord>(join(dir, "offers.jsonl"), offerLine),
    source: `generated:${dir}`,
    dataHash: hash.digest("hex"),
    // The first event's UTC day: the window start as far as the log shows it.
    ...(Number.isFinite(first) ? { start: first - (first % DAY_MS) } : {}),
  };
}

/** The hash of a sample is the hash of what reproduces it: generator version and options. */
export function sampleHash(options: GenerateOptions): string {
  const spec = { generator: GENERATOR_VERSION, ...options };
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex");
}

export function sampleInput(
  options: GenerateOptions = DEFAULT_SAMPLE,
  onProgress?: (p: DataProgress) => void,
): GeneratedInput {
  const s = generateSample(options, onProgress);
  return {
    events: s.events as BehaviourEvent[],
    profiles: new Map(s.profiles.map((p) => [p.customerId, p.profile])),
    customers: s.customers,
    offers: s.offers,
    source: `generated:sample customers=${options.customers} days=${options.days} seed=${options.seed}`,
    dataHash: sampleHash(options),
    start: options.end - options.days * DAY_MS,
  };
}

function earlier(
  task: GeneratedTask,
  customers: readonly CustomerTruth[],
  start: number | undefined,
  options: GeneratedSetOptions,
): number[] {
  if (task !== "churn" || !options.churnHistory) return [];
  const labelTime = customers[0]?.labelTime;
  if (labelTime === undefined || start === undefined) return [];
  const times = earlierLabelTimes(labelTime, start);
  if (times.length === 0)
    throw new RangeError(
      `a time split of churn needs label times with 30 days of history and a 30-day label window before the label time ${new Date(labelTime).toISOString()}: ` +
        "this data has less than 60 days before it (generate at least 90 days), or use --split stratified",
    );
  return times;
}

const decisionsOf = (
  task: GeneratedTask,
  input: Pick<GeneratedInput, "customers" | "offers">,
  labelTimes: readonly number[] = [],
) => (task === "churn" ? churnDecisions(input.customers, labelTimes) : propensityDecisions(input.offers));

/** The churn or propensity set of a generated dataset, features point-in-time. */
export function generatedSet(
  task: GeneratedTask,
  input: GeneratedInput,
  options: GeneratedSetOptions = {},
  onProgress?: (p: DataProgress) => void,
): TrainingSet {
  const decisions = decisionsOf(task, input, earlier(task, input.customers, input.start, options));
  const vectors = featuresBefore(FEATURE_PLAN, input.events, decisions, input.profiles, onProgress);
  return assemble(task, decisions, vectors, { source: input.source, dataHash: input.dataHash }, options);
}

/**
 * Builds the sets customer by customer from the generator, so memory holds the rows, not the
 * 4M-event log of 100k customers; one pass serves every task asked for. Gives the same rows as
 * `generatedSet(task, sampleInput(options))`, in customer order instead of time order.
 */
export function streamedGeneratedSets(
  tasks: readonly GeneratedTask[],
  options: GenerateOptions,
  setOptions: Pick<GeneratedSetOptions, "inputs"> = {},
): Record<GeneratedTask, TrainingSet | undefined> {
  const acc = new Map(
    tasks.map((t) => [t, { decisions: [] as LabelledDecision[], vectors: [] as Float64Array[] }]),
  );
  for (const h of generateCustomers(options)) {
    const profiles = new Map([[h.customerId, h.profile]]);
    for (const [task, into] of acc) {
      const own = decisionsOf(task, { customers: [h.truth], offers: h.offers });
      if (own.length === 0) continue;
      for (const d of own) into.decisions.push(d);
      for (const v of featuresBefore(FEATURE_PLAN, h.events as BehaviourEvent[], own, profiles))
        into.vectors.push(v);
    }
  }
  const source = `generated:stream customers=${options.customers} days=${options.days} seed=${options.seed}`;
  const build = (task: GeneratedTask) => {
    const a = acc.get(task);
    return a
      ? assemble(task, a.decisions, a.vectors, { source, dataHash: sampleHash(options) }, setOptions)
      : undefined;
  };
  return { churn: build("churn"), propensity: build("propensity") };
}

function assemble(
  task: GeneratedTask,
  decisions: readonly LabelledDecision[],
  vectors: readonly Float64Array[],
  where: Pick<SourceInfo, "source" | "dataHash">,
  options: GeneratedSetOptions = {},
): TrainingSet {
  const n = decisions.length;
  const numeric = new Map<string, Float64Array>();
  FEATURE_PLAN.names.forEach((name, f) => {
    numeric.set(
      name,
      Float64Array.from({ length: n }, (_, r) => vectors[r]![f]!),
    );
  });
  const categorical = new Map<string, (string | null)[]>();
  if (task === "propensity") {
    numeric.set(
      ACTION_INPUTS.numeric[0],
      Float64Array.from(decisions, (d) => ACTION_VALUE.get(d.action!.actionId) ?? Number.NaN),
    );
    for (const name of ACTION_INPUTS.categorical)
      categorical.set(
        name,
        decisions.map((d) => d.action![name]),
      );
  }
  const formulas = task === "churn" ? CHURN_FORMULAS : PROPENSITY_FORMULAS;
  const full = addDerivedColumns({ length: n, numeric, categorical }, formulas);
  const keep = new Set([...Object.keys(formulaMap(formulas)), ...ENGINEERED_RAW[task]]);
  // Every raw feature stays in the table (a promoted model reading them can still be compared on
  // the same rows); `inputs` names the columns the new model reads.
  const inputs = [...full.numeric.keys(), ...full.categorical.keys()].filter((k) => keep.has(k));
  return {
    table: full,
    ...(options.inputs === "all" ? {} : { inputs }),
    formulas: formulaMap(formulas),
    labels: Uint8Array.from(decisions, (d) => d.label),
    times: Float64Array.from(decisions, (d) => d.time),
    ...(task === "churn"
      ? { labelEnds: Float64Array.from(decisions, (d) => d.time + CHURN_WINDOW_DAYS * DAY_MS) }
      : {}),
    truth: Float64Array.from(decisions, (d) => d.truth),
    ...(task === "propensity" ? { coldStart: { actionId: 0.05 } } : {}),
    info: {
      ...where,
      target: task === "churn" ? "churnedInLabelWindow" : "accepted",
      positiveValue: true,
    },
  };
}
