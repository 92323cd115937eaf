/** Command-line arguments of scripts/ope.ts, parsed and checked with messages a user can act on. */
import { parseArgs } from "node:util";
import {
  BANDIT_ALGORITHMS,
  type BanditAlgorithm,
  type ExplorationParams,
  OFFLINE_THOMPSON_DRAWS,
} from "../bandit/index.js";
import type { EvaluateOptions } from "./evaluate.js";

export const OPE_USAGE = `Usage: npm run ope -- --log FILE TARGET [options]

Estimates what a target policy would have earned on a logged set of decisions (IPS, SNIPS, direct
method, doubly robust, with bootstrap intervals), beside the logging policy's observed value.

Log:
  --log FILE                 the service's decision export (npm run decisions:export), or a generic
                             JSONL or CSV log (see docs/ope.md)
  --format csv|jsonl         default: csv for *.csv, jsonl otherwise
Target (one of):
  --target-probabilities FILE  JSONL {decisionId|id|row, probabilities: {actionId: p}} per logged row
  --bandit ALGORITHM         ${BANDIT_ALGORITHMS.join(" | ")}, replayed over the logged contexts
    --epsilon E              epsilon_greedy (default 0.05), linucb floor (default 0)
    --temperature T          softmax (default 0.1)
    --alpha A                linucb (default 1)
    --posterior-scale V      thompson (default 0.5)
    --draws M                thompson posterior draws per row (default 1024)
    --ridge L                ridge lambda of a cold start (default: the snapshot's, else the
                             policy's with --policy, else 1)
  --policy FILE              a draft policy: its eligibility rules, arbitration factors and bandit
                             settings; with --bandit, the given exploration instead of its own (the
                             arms keep the policy's model and ridge)
    --greedy                 the draft without exploration
  --model NAME=VERSION       propensity=VERSION and/or churn=VERSION (repeat the flag for both): score
                             every logged decision again with that model version and replay it under
                             --policy FILE (required: the policy the log ran under, or a draft)
    --models-dir DIR         the model registry (default: $MODELS_DIR, else models)
  --snapshot FILE            start the replayed bandit from this snapshot (default: cold, priors only)
  --learn                    let the replayed bandit learn from each logged outcome (default: frozen)
  --default-prior P          prior for candidates without a logged one (default: the mean reward)
Estimation:
  --clip W                   clip importance weights at W (reported)
  --bootstrap B              bootstrap replicates (default 1000; 0: no intervals)
  --seed S                   seed for the bootstrap, folds and replay (default 1)
  --confidence C             interval coverage (default 0.95)
  --min-propensity P         warn about target weight on actions logged below P (default 0.001)
  --folds K                  reward-model cross-fitting folds (default 2)
  --model-ridge L            reward-model ridge lambda (default 1)
  --no-refit                 fit the reward model once instead of on every bootstrap replicate (faster;
                             the DM and DR intervals then leave out the model's own variance)
Output:
  --json                     the report as JSON on stdout instead of the table
  --html FILE                also write a self-contained HTML report with charts
  --help                     this text`;

export type OpeTargetArgs =
  | { readonly kind: "probabilities"; readonly file: string }
  | {
      readonly kind: "bandit";
      readonly exploration: ExplorationParams;
      readonly ridge?: number;
      readonly policyFile?: string;
      readonly snapshotFile?: string;
      readonly learn: boolean;
      readonly defaultPrior?: number;
    }
  | {
      readonly kind: "policy";
      readonly policyFile: string;
      readonly greedy: boolean;
      readonly snapshotFile?: string;
      readonly learn: boolean;
      readonly defaultPrior?: number;
    }
  | {
      readonly kind: "model";
      /** Version per model name. */
      readonly models: Readonly<{ propensity?: string; churn?: string }>;
      readonly modelsDir: string;
      readonly policyFile: string;
      readonly greedy: boolean;
      /** `--bandit`: instead of the policy's own bandit settings. */
      readonly exploration?: ExplorationParams;
      readonly snapshotFile?: string;
      readonly learn: boolean;
      readonly defaultPrior?: number;
      /** The log, for `loadTarget` to rescore when it is not handed the loaded log. */
      readonly log: string;
      readonly format?: "csv" | "jsonl";
    };

export interface OpeArgs {
  readonly log: string;
  readonly format?: "csv" | "jsonl";
  readonly target: OpeTargetArgs;
  readonly options: EvaluateOptions;
  readonly json: boolean;
  readonly html?: string;
}

export type ParsedOpeArgs =
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "run"; readonly args: OpeArgs };

class ArgError extends Error {}

type Check = (v: number) => boolean;

function num(values: Record<string, unknown>, flag: string, ok: Check, rule: string): number | undefined {
  const raw = values[flag];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw === "" || !Number.isFinite(v) || !ok(v))
    throw new ArgError(`--${flag} ${JSON.stringify(raw)} must be ${rule}`);
  return v;
}

const STRING_FLAGS = [
  "log",
  "format",
  "target-probabilities",
  "bandit",
  "epsilon",
  "temperature",
  "alpha",
  "posterior-scale",
  "draws",
  "ridge",
  "policy",
  "snapshot",
  "default-prior",
  "clip",
  "bootstrap",
  "seed",
  "confidence",
  "min-propensity",
  "folds",
  "model-ridge",
  "models-dir",
  "html",
] as const;

/** Which bandit parameters each algorithm takes. */
const PARAMS: Readonly<Record<BanditAlgorithm, readonly string[]>> = {
  thompson: ["posterior-scale", "draws"],
  linucb: ["alpha", "epsilon"],
  epsilon_greedy: ["epsilon"],
  softmax: ["temperature"],
};

function exploration(algorithm: BanditAlgorithm, values: Record<string, unknown>): ExplorationParams {
  for (const flag of ["epsilon", "temperature", "alpha", "posterior-scale", "draws"])
    if (values[flag] !== undefined && !PARAMS[algorithm].includes(flag))
      throw new ArgError(`--${flag} does not apply to --bandit ${algorithm}`);
  const probability = (v: number) => v >= 0 && v <= 1;
  switch (algorithm) {
    case "thompson":
      return {
        algorithm,
        posteriorScale: num(values, "posterior-scale", (v) => v > 0, "more than 0") ?? 0.5,
        draws:
          num(
            values,
            "draws",
            (v) => Number.isInteger(v) && v >= 1 && v <= 4096,
            "a whole number in 1..4096",
          ) ?? OFFLINE_THOMPSON_DRAWS,
      };
    case "linucb":
      return {
        algorithm,
        alpha: num(values, "alpha", (v) => v >= 0, "0 or more") ?? 1,
        epsilon: num(values, "epsilon", probability, "in [0, 1]") ?? 0,
      };
    case "epsilon_greedy":
      return { algorithm, epsilon: num(values, "epsilon", probability, "in [0, 1]") ?? 0.05 };
    case "softmax":
      return { algorithm, temperature: num(values, "temperature", (v) => v > 0, "more than 0") ?? 0.1 };
  }
}

const MODEL_NAMES = ["propensity", "churn"] as const;

/** `--model propensity=V --model churn=W` as versions by name; undefined when not given. */
function modelVersions(
  given: readonly string[] | undefined,
): { propensity?: string; churn?: string } | undefined {
  if (!given || given.length === 0) return undefined;
  const versions: { propensity?: string; churn?: string } = {};
  for (const entry of given) {
    const eq = entry.indexOf("=");
    const name = eq < 0 ? entry : entry.slice(0, eq);
    const version = eq < 0 ? "" : entry.slice(eq + 1).trim();
    if (!(MODEL_NAMES as readonly string[]).includes(name))
      throw new ArgError(`--model ${JSON.stringify(entry)} must be propensity=VERSION or churn=VERSION`);
    if (version === "")
      throw new ArgError(`--model ${name}= needs a version (npm run models -- list shows them)`);
    const key = name as (typeof MODEL_NAMES)[number];
    if (versions[key] !== undefined) throw new ArgError(`--model ${name} is given twice`);
    versions[key] = version;
  }
  return versions;
}

function parse(argv: readonly string[]): ParsedOpeArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" as const }])),
      model: { type: "string", multiple: true },
      learn: { type: "boolean" },
      "no-refit": { type: "boolean" },
      greedy: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) return { kind: "help" };
  const str = (flag: string): string | undefined => {
    const s = v[flag];
    if (s === "") throw new ArgError(`--${flag} needs a value`);
    return typeof s === "string" ? s : undefined;
  };
  const log = str("log");
  if (!log) throw new ArgError("--log FILE is required");
  const format = str("format");
  if (format !== undefined && format !== "csv" && format !== "jsonl")
    throw new ArgError(`--format ${JSON.stringify(format)} must be csv or jsonl`);

  const probabilitiesFile = str("target-probabilities");
  const bandit = str("bandit");
  const policyFile = str("policy");
  const models = modelVersions(values.model as string[] | undefined);
  if (!probabilitiesFile && !bandit && !policyFile && !models)
    throw new ArgError(
      "give a target: --target-probabilities FILE, --bandit ALGORITHM, --policy FILE or --model NAME=VERSION",
    );
  if (probabilitiesFile && (bandit || policyFile || models))
    throw new ArgError("--target-probabilities cannot be combined with --bandit, --policy or --model");
  if (models && !policyFile)
    throw new ArgError(
      "--model needs --policy FILE: the policy the log was made under (to change only the model) or a draft",
    );
  if (!models && v["models-dir"] !== undefined) throw new ArgError("--models-dir needs --model");
  if (bandit !== undefined && !(BANDIT_ALGORITHMS as readonly string[]).includes(bandit))
    throw new ArgError(`--bandit ${JSON.stringify(bandit)} must be one of ${BANDIT_ALGORITHMS.join(", ")}`);
  if (v.greedy && (!policyFile || bandit))
    throw new ArgError("--greedy goes with --policy (and without --bandit)");
  if (!bandit)
    for (const flag of ["epsilon", "temperature", "alpha", "posterior-scale", "draws", "ridge"])
      if (v[flag] !== undefined) throw new ArgError(`--${flag} needs --bandit`);
  const replay = bandit !== undefined || policyFile !== undefined;
  if (!replay)
    for (const flag of ["snapshot", "learn", "default-prior"])
      if (v[flag] !== undefined) throw new ArgError(`--${flag} needs --bandit or --policy`);

  const snapshotFile = str("snapshot");
  const defaultPrior = num(v, "default-prior", (p) => p > 0 && p < 1, "in (0, 1)");
  const shared = {
    ...(snapshotFile ? { snapshotFile } : {}),
    learn: v.learn === true,
    ...(defaultPrior === undefined ? {} : { defaultPrior }),
  };
  let target: OpeTargetArgs;
  if (probabilitiesFile) target = { kind: "probabilities", file: probabilitiesFile };
  else if (models) {
    if (v.ridge !== undefined)
      throw new ArgError("--ridge does not apply to --model (the policy's bandit sets it)");
    target = {
      kind: "model",
      models,
      modelsDir: str("models-dir") ?? (process.env.MODELS_DIR || "models"),
      policyFile: policyFile!,
      greedy: v.greedy === true,
      ...(bandit ? { exploration: exploration(bandit as BanditAlgorithm, v) } : {}),
      ...shared,
      log,
      ...(format ? { format } : {}),
    };
  } else if (bandit) {
    const ridge = num(v, "ridge", (x) => x > 0, "more than 0");
    target = {
      kind: "bandit",
      exploration: exploration(bandit as BanditAlgorithm, v),
      ...(ridge === undefined ? {} : { ridge }),
      ...(policyFile ? { policyFile } : {}),
      ...shared,
    };
  } else target = { kind: "policy", policyFile: policyFile!, greedy: v.greedy === true, ...shared };

  const clip = num(v, "clip", (x) => x > 0, "more than 0");
  const bootstrap = num(
    v,
    "bootstrap",
    (x) => Number.isInteger(x) && x >= 0 && x <= 100_000,
    "a whole number in 0..100000",
  );
  const seed = num(
    v,
    "seed",
    (x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff,
    "a whole number in 0..4294967295",
  );
  const confidence = num(v, "confidence", (x) => x > 0 && x < 1, "in (0, 1)");
  const minPropensity = num(v, "min-propensity", (x) => x > 0 && x < 1, "in (0, 1)");
  const folds = num(v, "folds", (x) => Number.isInteger(x) && x >= 1 && x <= 20, "a whole number in 1..20");
  const modelRidge = num(v, "model-ridge", (x) => x > 0, "more than 0");
  const html = str("html");
  return {
    kind: "run",
    args: {
      log,
      ...(format ? { format } : {}),
      target,
      options: {
        ...(clip === undefined ? {} : { clip }),
        ...(bootstrap === undefined ? {} : { bootstrap }),
        ...(seed === undefined ? {} : { seed }),
        ...(confidence === undefined ? {} : { confidence }),
        ...(minPropensity === undefined ? {} : { minPropensity }),
        ...(v["no-refit"] ? { refitRewardModel: false } : {}),
        rewardModel: {
          ...(folds === undefined ? {} : { folds }),
          ...(modelRidge === undefined ? {} : { ridge: modelRidge }),
        },
      },
      json: v.json === true,
      ...(html ? { html } : {}),
    },
  };
}

export function parseOpeArgs(argv: readonly string[]): ParsedOpeArgs {
  try {
    return parse(argv);
  } catch (err) {
    // node's own parse errors run over several lines; the CLI prints one.
    const message = err instanceof Error ? err.message : String(err);
    return { kind: "error", message: message.replace(/\s*\n\s*/g, " ") };
  }
}
