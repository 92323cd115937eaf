/** Builds a `Target` from the CLI's target arguments, reading the files it names. */
import { readFile } from "node:fs/promises";
import { decodeSnapshot } from "../bandit/index.js";
import { loadPolicyFile, type Policy } from "../policy/index.js";
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

export async function loadTarget(args: OpeTargetArgs): Promise<Target> {
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
  return { kind: "policy", policy: await policyAt(args.policyFile), greedy: args.greedy, ...shared };
}
