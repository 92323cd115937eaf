/**
 * Loads one model version from its folder and proves it can serve before anyone uses it: metadata.json
 * valid under the contract and naming this folder; model.onnx loads in onnxruntime-node; exactly one
 * float32 input [N, F] with a dynamic N and F == inputWidth; the named output is a float tensor [N] or
 * [N, K]; and a probe batch (an all-missing row and two more) yields finite probabilities in [0, 1].
 * Any failure is a ModelInvalidError naming the file and the problem, and the session is released.
 * A file that exists but cannot be read (permissions, EIO, too many open files) says nothing about
 * the model: that is a ServiceUnavailableError, which the service retries.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { InferenceSession } from "onnxruntime-node";
import { ServiceUnavailableError } from "../errors/http-errors.js";
import { ModelInvalidError, type ModelProblem } from "../errors/model-invalid-error.js";
import { ModelNotFoundError } from "../errors/model-not-found-error.js";
import type { RawRow } from "./encode-inputs.js";
import { type ModelMetadata, modelMetadataSchema } from "./model-metadata.js";
import { OnnxModel, SESSION_OPTIONS } from "./onnx-model.js";
import type { ScoringMetrics } from "./scoring-metrics.js";

export const METADATA_FILE_NAME = "metadata.json";

export type MetadataResult =
  | { readonly ok: true; readonly metadata: ModelMetadata }
  | {
      readonly ok: false;
      readonly problems: ModelProblem[];
      /** Set when the file could not be read at all: whether it is missing, or there but unreadable. */
      readonly unread?: "missing" | "unreadable";
    };

/** Reads and validates `<dir>/<name>/<version>/metadata.json`, including that it names this folder. */
export async function readModelMetadata(dir: string, name: string, version: string): Promise<MetadataResult> {
  const file = join(dir, name, version, METADATA_FILE_NAME);
  const fail = (problem: string): MetadataResult => ({ ok: false, problems: [{ file, problem }] });
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT"
      ? { ok: false, problems: [{ file, problem: "is missing" }], unread: "missing" }
      : {
          ok: false,
          problems: [{ file, problem: `cannot be read (${(err as Error).message})` }],
          unread: "unreadable",
        };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`is not valid JSON (${(err as Error).message})`);
  }
  const parsed = modelMetadataSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        file,
        problem: `${i.path.join(".") || "(root)"} ${i.message}`,
      })),
    };
  }
  const metadata = parsed.data;
  const problems: ModelProblem[] = [];
  if (metadata.name !== name)
    problems.push({ file, problem: `name is "${metadata.name}" but it is in the folder of model "${name}"` });
  if (metadata.version !== version) {
    problems.push({ file, problem: `version is "${metadata.version}" but its folder is "${version}"` });
  }
  if (basename(metadata.onnx.file) !== metadata.onnx.file || metadata.onnx.file.startsWith(".")) {
    problems.push({
      file,
      problem: `onnx.file "${metadata.onnx.file}" must be a file name in the version folder`,
    });
  }
  return problems.length === 0 ? { ok: true, metadata } : { ok: false, problems };
}

const isDynamic = (dim: number | string | undefined): boolean =>
  typeof dim === "string" || (typeof dim === "number" && dim < 0);
const showShape = (shape: readonly (number | string)[]): string =>
  `[${shape.map((d) => (isDynamic(d) ? "N" : String(d))).join(", ")}]`;

/** Problems with the session's input and output signature against the metadata (empty when it fits). */
function signatureProblems(session: InferenceSession, meta: ModelMetadata): string[] {
  const problems: string[] = [];
  const { inputName, outputName, outputColumn } = meta.onnx;
  const input = session.inputMetadata[0];
  if (session.inputNames.length !== 1 || input === undefined) {
    problems.push(
      `has ${session.inputNames.length} inputs (${session.inputNames.join(", ")}); the service feeds exactly one float input [N, F]`,
    );
  } else if (input.name !== inputName) {
    problems.push(`input is named "${input.name}" but metadata.json onnx.inputName is "${inputName}"`);
  } else if (!input.isTensor || input.type !== "float32") {
    problems.push(
      `input "${input.name}" is ${input.isTensor ? input.type : "not a tensor"}; it must be float32`,
    );
  } else if (input.shape.length > 0) {
    const [rows, width] = input.shape;
    if (input.shape.length !== 2) {
      problems.push(
        `input "${input.name}" has shape ${showShape(input.shape)}; it must be [N, ${meta.inputWidth}]`,
      );
    } else if (!isDynamic(rows)) {
      problems.push(
        `input "${input.name}" has a fixed batch size ${rows}; the first dimension must be dynamic (N)`,
      );
    } else if (width !== meta.inputWidth) {
      problems.push(
        `input "${input.name}" has shape ${showShape(input.shape)} but metadata.json inputWidth is ${meta.inputWidth}`,
      );
    }
  }
  const output = session.outputMetadata.find((o) => o.name === outputName);
  if (output === undefined) {
    problems.push(
      `has no output "${outputName}" (metadata.json onnx.outputName); its outputs are ${session.outputNames.join(", ")}`,
    );
  } else if (!output.isTensor) {
    problems.push(`output "${outputName}" is not a tensor (a scikit-learn ZipMap? export with zipmap=False)`);
  } else if (output.type !== "float32" && output.type !== "float64") {
    problems.push(`output "${outputName}" is ${output.type}; it must be float32 or float64 probabilities`);
  } else if (output.shape.length > 2) {
    problems.push(`output "${outputName}" has shape ${showShape(output.shape)}; it must be [N] or [N, K]`);
  } else if (output.shape.length === 2 && typeof output.shape[1] === "number" && output.shape[1] >= 0) {
    if (outputColumn >= output.shape[1]) {
      problems.push(
        `output "${outputName}" has ${output.shape[1]} columns but metadata.json onnx.outputColumn is ${outputColumn}`,
      );
    }
  }
  return problems;
}

/** Three probe rows: every input missing, then numeric inputs at +-2 scales with known and unseen categories. */
export function probeRows(meta: ModelMetadata): RawRow[] {
  const row = (sign: number): RawRow =>
    Object.fromEntries(
      meta.inputs.map((i) =>
        i.type === "numeric"
          ? [i.name, i.mean + sign * 2 * i.scale]
          : [i.name, sign > 0 ? i.vocabulary[0] : "\u0000unseen"],
      ),
    );
  return [{}, row(1), row(-1)];
}

/** Probe problems: predictions that are not finite probabilities (empty when all are in [0, 1]). */
async function probeProblems(model: OnnxModel): Promise<string[]> {
  const rows = probeRows(model.metadata);
  let predictions: Float64Array;
  try {
    predictions = await model.predict(rows);
  } catch (err) {
    return [`failed on a probe batch of ${rows.length} rows: ${(err as Error).message}`];
  }
  const bad = [...predictions].filter((p) => !(p >= 0 && p <= 1));
  if (bad.length === 0) return [];
  const kind = model.metadata.onnx.outputKind;
  return [
    `output "${model.metadata.onnx.outputName}" gave ${bad.slice(0, 3).join(", ")} on a probe batch: not probabilities in [0, 1]` +
      (kind === "probability" ? ' (if it is a logit, set onnx.outputKind to "logit" in metadata.json)' : ""),
  ];
}

export interface LoadOptions {
  /** Counted in the scoring metrics once serving. */
  readonly metrics?: ScoringMetrics;
}

/**
 * A validated, ready model for `<dir>/<name>/<version>`. Throws ModelNotFoundError when the folder
 * does not exist, ModelInvalidError (every problem, each naming its file) when it may not serve.
 */
export async function loadModelVersion(
  dir: string,
  name: string,
  version: string,
  options: LoadOptions = {},
): Promise<OnnxModel> {
  const folder = join(dir, name, version);
  const id = `${name}/${version}`;
  const meta = await readModelMetadata(dir, name, version);
  if (!meta.ok) {
    if (meta.unread === "missing" && !(await isDirectory(folder))) {
      throw new ModelNotFoundError(
        `No model version ${id} in ${dir}; npm run models -- list shows the versions`,
      );
    }
    if (meta.unread === "unreadable") throw cannotRead(id, meta.problems[0]!);
    throw new ModelInvalidError(name, version, meta.problems);
  }
  const file = join(folder, meta.metadata.onnx.file);
  const refuse = (problems: string[]) =>
    new ModelInvalidError(
      name,
      version,
      problems.map((problem) => ({ file, problem })),
    );
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw refuse(["is missing"]);
    throw cannotRead(id, { file, problem: `cannot be read (${(err as Error).message})` });
  }
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      SESSION_OPTIONS,
    );
  } catch (err) {
    throw refuse([`is not a loadable ONNX model (${(err as Error).message})`]);
  }
  // The probe runs unmetered; the serving instance shares the session and counts from its first real batch.
  const problems = signatureProblems(session, meta.metadata);
  if (problems.length === 0) problems.push(...(await probeProblems(new OnnxModel(meta.metadata, session))));
  if (problems.length > 0) {
    await session.release().catch(() => undefined);
    throw refuse(problems);
  }
  return new OnnxModel(meta.metadata, session, options.metrics);
}

function cannotRead(id: string, { file, problem }: ModelProblem): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `Model ${id} cannot be loaded now: ${file}: ${problem}; not a verdict on the model, try again once it is readable`,
  );
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
