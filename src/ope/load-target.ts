/** Builds a `Target` from the CLI's target arguments, reading the files (and model versions) it names. */
import { readFile } from "node:fs/promises";
import { decodeSnapshot } from "../bandit/index.js";
import { loadPolicyFile, type Policy } from "../policy/index.js";
import { loadModelVersion } from "../scoring/load-model.js";
import type { OnnxModel } from "../scoring/onnx-model.js";
import { readLogFile } from "./log-reader.js";
import type { LoadedLog } from "./logged-decision.js";
import { rescoreLog } from "./model-scores.js";
import type { OpeTargetArgs } from "./ope-args.js";
import { OpeInputError } from "./ope-input-error.js";
import type { Target } from "./target.js";
import { readTargetProbabilities } from "./target-probabilities.js";

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function policyAt(path: string): Promise<Policy> {
  try {
    return await loadPolicyFile(path);
  } catch (err) {
    throw new OpeInputError(`policy ${path}: ${message(err)}`);
  }
}

async function snapshotAt(path: string) {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new OpeInputError(`cannot read snapshot ${path}: ${message(err)}`);
  }
  try {
    return decodeSnapshot(text.trim()).state;
  } catch (err) {
    throw new OpeInputError(`snapshot ${path}: ${message(err)}`);
  }
}

async function modelAt(dir: string, name: string, version: string): Promise<OnnxModel> {
  try {
    return await loadModelVersion(dir, name, version);
  } catch (err) {
    throw new OpeInputError(`model ${name}/${version} in ${dir}: ${message(err)}`);
  }
}

/**
 * `log`: the log the target will be evaluated on; a model target rescores its rows (when absent, a
 * model target reads `args.log` itself).
 */
export async function loadTarget(args: OpeTargetArgs, log?: LoadedLog): Promise<Target> {
  if (args.kind === "probabilities")
    return { kind: "probabilities", probabilities: await readTargetProbabilities(args.file) };
  const snapshot = args.snapshotFile ? await snapshotAt(args.snapshotFile) : undefined;
  const shared = {
    ...(snapshot ? { snapshot } : {}),
    learn: args.learn,
    ...(args.defaultPrior === undefined ? {} : { defaultPrior: args.defaultPrior }),
  };
  if (args.kind === "bandit") {
    const policy = args.policyFile ? await policyAt(args.policyFile) : undefined;
    return {
      kind: "bandit",
      exploration: args.exploration,
      ...(args.ridge === undefined ? {} : { ridge: args.ridge }),
      ...(policy ? { policy } : {}),
      ...shared,
    };
  }
  if (args.kind === "policy")
    return { kind: "policy", policy: await policyAt(args.policyFile), greedy: args.greedy, ...shared };
  const policy = await policyAt(args.policyFile);
  const rows = (log ?? (await readLogFile(args.log, args.format ? { format: args.format } : {}))).rows;
  const loaded: OnnxModel[] = [];
  try {
    const models: { propensity?: OnnxModel; churn?: OnnxModel } = {};
    for (const name of ["propensity", "churn"] as const) {
      const version = args.models[name];
      if (version === undefined) continue;
      const model = await modelAt(args.modelsDir, name, version);
      loaded.push(model);
      models[name] = model;
    }
    const scores = await rescoreLog(rows, models, policy);
    return {
      kind: "model",
      scores,
      policy,
      greedy: args.greedy,
      ...(args.exploration ? { exploration: args.exploration } : {}),
      ...shared,
    };
  } finally {
    await Promise.all(loaded.map((m) => m.release().catch(() => undefined)));
  }
}
