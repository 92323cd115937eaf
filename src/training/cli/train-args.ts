/**
 * Flags of `npm run train:churn` / `npm run train:propensity`, parsed with node:util and validated
 * with zod, so a mistake is one line naming the flag rather than a stack trace mid-run.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { PROPENSITY_MLP_L2 } from "../data/generated-formulas.js";
import type { GeneratedTask } from "../data/generated-source.js";
import type { DataSpec } from "../data/load-data.js";
import { GBDT_SETTINGS } from "../gbdt/settings.js";
import { MODEL_KINDS } from "../model-kind.js";
import type { TrainOptions } from "../pipeline/train-model.js";
import type { BackendName } from "../tf/backend.js";

export interface TrainCommand {
  readonly name: string;
  readonly data: DataSpec;
  /** `split` undefined = choose from the data (time when rows have different times). */
  readonly train: Omit<TrainOptions, "split"> & { readonly split?: TrainOptions["split"] };
  readonly out?: string;
  readonly modelsDir: string;
  readonly promote: boolean;
  readonly compare: boolean;
  readonly progress: "auto" | "none";
}

export type ParsedTrainArgs =
  | { kind: "run"; command: TrainCommand }
  | { kind: "help" }
  | { kind: "error"; message: string };

const OPTIONS = {
  data: { type: "string" },
  csv: { type: "string" },
  config: { type: "string" },
  target: { type: "string" },
  positive: { type: "string" },
  sep: { type: "string" },
  drop: { type: "string", multiple: true },
  categorical: { type: "string", multiple: true },
  numeric: { type: "string", multiple: true },
  fill: { type: "string", multiple: true },
  derive: { type: "string", multiple: true },
  time: { type: "string" },
  customers: { type: "string" },
  days: { type: "string" },
  "sample-seed": { type: "string" },
  model: { type: "string" },
  seed: { type: "string" },
  split: { type: "string" },
  "test-fraction": { type: "string" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "learning-rate": { type: "string" },
  patience: { type: "string" },
  "class-weight": { type: "string" },
  hidden: { type: "string" },
  l2: { type: "string" },
  ensemble: { type: "string" },
  trees: { type: "string" },
  depth: { type: "string" },
  leaves: { type: "string" },
  lambda: { type: "string" },
  "min-child-weight": { type: "string" },
  subsample: { type: "string" },
  colsample: { type: "string" },
  bins: { type: "string" },
  inputs: { type: "string" },
  interactions: { type: "string" },
  "blend-network": { type: "string" },
  "tree-learning-rate": { type: "string" },
  backend: { type: "string" },
  name: { type: "string" },
  out: { type: "string" },
  "models-dir": { type: "string" },
  promote: { type: "boolean" },
  "no-compare": { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const CSV_ONLY = [
  "target",
  "positive",
  "sep",
  "drop",
  "categorical",
  "numeric",
  "fill",
  "derive",
  "time",
] as const;

/** Flags of the default generated sample, meaningless with --data or a CSV. */
const SAMPLE_ONLY = ["customers", "days", "sample-seed"] as const;

/**
 * Flags of the tfjs networks only, and of gbdt only: given with the other kind, they are an error.
 * A blend takes both, each for its part (the network flags for its MLP, the tree flags for its trees).
 */
const NETWORK_ONLY = ["epochs", "batch-size", "class-weight", "hidden", "l2", "ensemble", "backend"] as const;
const GBDT_ONLY = [
  "trees",
  "depth",
  "leaves",
  "lambda",
  "min-child-weight",
  "subsample",
  "colsample",
  "bins",
] as const;
/** Refused with a blend: --class-weight (its trees train unweighted); the shared ones would be ambiguous. */
const NOT_BLEND = ["class-weight", "learning-rate", "patience"] as const;

const int = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${flag} must be at least ${min}`).max(max, `${flag} must be at most ${max}`));
const num = (flag: string, min: number, max: number) =>
  z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: `${flag} must be a number` })
        .gt(min, `${flag} must be above ${min}`)
        .lt(max, `${flag} must be below ${max}`),
    );

/** A number in [0, max]. */
const nonNegative = (flag: string, max: number) =>
  z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: `${flag} must be a number` })
        .min(0, `${flag} must be at least 0`)
        .max(max, `${flag} must be at most ${max}`),
    );

/** A share in (0, 1]. */
const share = (flag: string) =>
  z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: `${flag} must be a number` })
        .gt(0, `${flag} must be above 0`)
        .max(1, `${flag} must be at most 1`),
    );

const schema = z.object({
  model: z.enum(MODEL_KINDS, { error: "--model must be logistic, mlp, gbdt or blend" }).optional(),
  seed: int("--seed", 0, 0xffffffff).default(42),
  split: z
    .enum(["stratified", "time", "sklearn"], { error: "--split must be stratified, time or sklearn" })
    .optional(),
  "test-fraction": num("--test-fraction", 0, 1).optional(),
  epochs: int("--epochs", 1, 10_000).optional(),
  "batch-size": int("--batch-size", 1, 1 << 20).optional(),
  "learning-rate": num("--learning-rate", 0, 10).optional(),
  patience: int("--patience", 1, 10_000).optional(),
  "class-weight": z
    .string()
    .regex(/^(none|balanced|\d+(\.\d+)?)$/, "--class-weight must be none, balanced or a number")
    .optional(),
  hidden: z
    .string()
    .regex(/^\d+(,\d+)*$/, "--hidden must be layer sizes like 64,32")
    .refine((v) => v.split(",").every((n) => Number(n) >= 1), {
      error: (issue) => `--hidden layer sizes must be at least 1, got ${issue.input}`,
    })
    .optional(),
  l2: z
    .string()
    .transform(Number)
    .pipe(
      z
        .number({ error: "--l2 must be a number" })
        .min(0, "--l2 must be at least 0")
        .lt(1, "--l2 must be below 1"),
    )
    .optional(),
  ensemble: int("--ensemble", 1, 32).optional(),
  trees: int("--trees", 1, 100_000).optional(),
  depth: int("--depth", 1, 32).optional(),
  leaves: int("--leaves", 2, 65_536).optional(),
  lambda: nonNegative("--lambda", 1e6).optional(),
  "min-child-weight": nonNegative("--min-child-weight", 1e9).optional(),
  subsample: share("--subsample").optional(),
  colsample: share("--colsample").optional(),
  bins: int("--bins", 2, 255).optional(),
  inputs: z.enum(["engineered", "all"], { error: "--inputs must be engineered or all" }).optional(),
  interactions: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "--interactions must name one categorical input, e.g. actionId")
    .optional(),
  "blend-network": z
    .enum(["logistic", "mlp"], { error: "--blend-network must be logistic or mlp" })
    .optional(),
  "tree-learning-rate": num("--tree-learning-rate", 0, 10).optional(),
  backend: z
    .enum(["tensorflow", "wasm", "cpu"], { error: "--backend must be tensorflow, wasm or cpu" })
    .optional(),
  customers: int("--customers", 1, 2_000_000).optional(),
  days: int("--days", 1, 3650).optional(),
  "sample-seed": int("--sample-seed", 0, 0xffffffff).optional(),
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, "--name must be lower-case letters, digits, _ or -")
    .optional(),
});

const list = (values: readonly string[] | undefined): string[] | undefined =>
  values
    ?.flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");

function fills(values: readonly string[] | undefined): Record<string, number | string> | undefined {
  if (!values) return undefined;
  const out: Record<string, number | string> = {};
  for (const pair of list(values)!) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--fill takes column=value, got "${pair}"`);
    const raw = pair.slice(eq + 1);
    if (raw.trim() === "")
      throw new Error(`--fill ${pair} has no value: give column=value, e.g. ${pair.slice(0, eq)}=0`);
    out[pair.slice(0, eq)] = raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

export function parseTrainArgs(
  task: GeneratedTask,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedTrainArgs {
  try {
    const { values: v } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    });
    if (v.help) return { kind: "help" };
    const parsed = schema.safeParse(v);
    if (!parsed.success) return { kind: "error", message: parsed.error.issues[0]!.message };
    const a = parsed.data;
    if (v.data && (v.csv || v.config))
      return { kind: "error", message: "give either --data or --csv/--config, not both" };
    const fill = fills(v.fill);
    const csvOnly = CSV_ONLY.filter((f) => v[f] !== undefined);
    if (!v.csv && !v.config && csvOnly.length > 0) {
      return {
        kind: "error",
        message: `--${csvOnly[0]} describes a CSV: it needs --csv FILE or --config FILE`,
      };
    }
    // Silently ignored, they would leave a user believing the sample was resized or the inputs changed.
    const sampleOnly = SAMPLE_ONLY.find((f) => v[f] !== undefined);
    if (sampleOnly && (v.data || v.csv || v.config))
      return {
        kind: "error",
        message: `--${sampleOnly} sizes the default generated sample: it does not apply with ${v.data ? "--data (the folder is used as it is)" : "--csv/--config"}`,
      };
    if (v.inputs !== undefined && (v.csv || v.config))
      return {
        kind: "error",
        message: "--inputs chooses the inputs of generated data: with a CSV, use --drop, --derive, --numeric",
      };
    // The registry promotes from <models-dir>/<name>/<version>; a version written elsewhere is not there.
    if (v.promote && v.out !== undefined)
      return {
        kind: "error",
        message:
          "--promote promotes the version from the models folder (--models-dir), but --out writes it elsewhere: leave out --out, or promote by hand after copying the folder there",
      };
    const data: DataSpec =
      v.csv || v.config
        ? {
            kind: "csv",
            ...(v.config ? { configFile: v.config } : {}),
            flags: {
              csv: v.csv,
              target: v.target,
              positive: v.positive,
              sep: v.sep,
              drop: list(v.drop),
              categorical: list(v.categorical),
              numeric: list(v.numeric),
              fill,
              derive: v.derive,
              time: v.time,
            },
          }
        : v.data
          ? { kind: "dir", dir: v.data, task, ...(a.inputs ? { set: { inputs: a.inputs } } : {}) }
          : {
              kind: "sample",
              task,
              ...(a.inputs ? { set: { inputs: a.inputs } } : {}),
              options: {
                ...(a.customers ? { customers: a.customers } : {}),
                ...(a.days ? { days: a.days } : {}),
                ...(a["sample-seed"] !== undefined ? { seed: a["sample-seed"] } : {}),
              },
            };
    // Checked again where the rows are known (train-model.ts); here so it fails before any data loads.
    if (task === "churn" && data.kind !== "csv" && a.split === "time" && a["test-fraction"] !== undefined)
      return {
        kind: "error",
        message:
          "--test-fraction does not apply to a time split of churn: the test rows are the customers at the label time T",
      };
    const cw = a["class-weight"];
    const kind = a.model ?? (task === "propensity" ? "mlp" : "logistic");
    const misplaced =
      kind === "blend"
        ? NOT_BLEND.find((f) => v[f] !== undefined)
        : kind === "gbdt"
          ? NETWORK_ONLY.find((f) => v[f] !== undefined)
          : GBDT_ONLY.find((f) => v[f] !== undefined);
    if (a["tree-learning-rate"] !== undefined && kind !== "blend")
      return {
        kind: "error",
        message: `--tree-learning-rate is for --model blend${kind === "gbdt" ? " (gbdt: --learning-rate is the shrinkage)" : ""}`,
      };
    if (misplaced)
      return {
        kind: "error",
        message:
          kind === "blend"
            ? misplaced === "class-weight"
              ? "--class-weight is for logistic and mlp models, not blend (its trees train unweighted)"
              : `--${misplaced} is ambiguous with --model blend (trees and MLP each keep their default)`
            : kind === "gbdt"
              ? `--${misplaced} is for logistic and mlp models, not gbdt`
              : `--${misplaced} is for --model gbdt or blend`,
      };
    const gbdt =
      kind === "gbdt" || kind === "blend"
        ? {
            ...(data.kind === "csv" ? {} : GBDT_SETTINGS[task]),
            ...(a.trees !== undefined ? { trees: a.trees } : {}),
            ...(a.depth !== undefined ? { maxDepth: a.depth } : {}),
            ...(a.leaves !== undefined ? { maxLeaves: a.leaves } : {}),
            ...(a.lambda !== undefined ? { lambda: a.lambda } : {}),
            ...(a["min-child-weight"] !== undefined ? { minChildWeight: a["min-child-weight"] } : {}),
            ...(a.subsample !== undefined ? { subsample: a.subsample } : {}),
            ...(a.colsample !== undefined ? { colsample: a.colsample } : {}),
            ...(a.bins !== undefined ? { maxBins: a.bins } : {}),
            ...(a["tree-learning-rate"] !== undefined ? { learningRate: a["tree-learning-rate"] } : {}),
          }
        : undefined;
    // The generated propensity MLP's own default (a blend's MLP part too) (chosen on validation rows); CSV data keeps 1e-5.
    const l2 =
      a.l2 ??
      (task === "propensity" && (kind === "mlp" || kind === "blend") && data.kind !== "csv"
        ? PROPENSITY_MLP_L2
        : undefined);
    return {
      kind: "run",
      command: {
        name: a.name ?? task,
        data,
        train: {
          kind,
          seed: a.seed,
          ...(a.split ? { split: a.split } : {}),
          ...(a["test-fraction"] !== undefined ? { testFraction: a["test-fraction"] } : {}),
          ...(a.epochs ? { epochs: a.epochs } : {}),
          ...(a["batch-size"] ? { batchSize: a["batch-size"] } : {}),
          ...(a["learning-rate"] ? { learningRate: a["learning-rate"] } : {}),
          ...(a.patience ? { patience: a.patience } : {}),
          ...(cw ? { classWeight: cw === "none" || cw === "balanced" ? cw : Number(cw) } : {}),
          ...(a.hidden ? { hidden: a.hidden.split(",").map(Number) } : {}),
          ...(l2 !== undefined ? { l2 } : {}),
          ...(a.ensemble ? { ensemble: a.ensemble } : {}),
          ...(gbdt ? { gbdt } : {}),
          ...(a.interactions ? { interactions: a.interactions } : {}),
          ...(a["blend-network"] ? { blendNetwork: a["blend-network"] } : {}),
          ...(a.backend ? { backend: a.backend as BackendName } : {}),
        },
        ...(v.out ? { out: v.out } : {}),
        // As `npm run models` and the service: one MODELS_DIR in the shell points all three at one registry.
        modelsDir: v["models-dir"] ?? (env.MODELS_DIR || "models"),
        promote: v.promote ?? false,
        compare: !v["no-compare"],
        progress: v.quiet ? "none" : "auto",
      },
    };
  } catch (e) {
    return { kind: "error", message: (e as Error).message };
  }
}
