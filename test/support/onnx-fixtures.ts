/**
 * Builds small real ONNX models for tests with onnx-proto (no Python, no mocks): a logistic model
 * (Gemm + Sigmoid) with given weights, optionally emitting logits or an [N, 2] class-probability
 * output like scikit-learn exports, and writes them with a metadata.json into a registry folder.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import type { ModelMetadata } from "../../src/scoring/model-metadata.js";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

export interface LogisticSpec {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly inputName?: string;
  readonly outputName?: string;
  /** `probability` [N, 1] (default), `logit` [N, 1] without the sigmoid, `two-column` [N, 2] = [1 - p, p]. */
  readonly output?: "probability" | "logit" | "two-column";
  /** A fixed batch dimension instead of the symbolic "N". */
  readonly fixedBatch?: number;
}

const tensor = (name: string, dims: number[], values: readonly number[]) =>
  onnx.TensorProto.create({ name, dataType: FLOAT, dims, floatData: [...values] });

const valueInfo = (name: string, dims: (number | string)[]) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });

/** The ONNX bytes of p = sigmoid(x . weights + bias) over an input [N, weights.length]. */
export function logisticOnnx(spec: LogisticSpec): Uint8Array {
  const width = spec.weights.length;
  const input = spec.inputName ?? "features";
  const output = spec.outputName ?? "probability";
  const kind = spec.output ?? "probability";
  const batch = spec.fixedBatch ?? "N";
  const nodes = [
    onnx.NodeProto.create({
      opType: "Gemm",
      input: [input, "W", "B"],
      output: [kind === "logit" ? output : "logit"],
    }),
  ];
  const initializer = [tensor("W", [width, 1], spec.weights), tensor("B", [1], [spec.bias])];
  if (kind === "probability") {
    nodes.push(onnx.NodeProto.create({ opType: "Sigmoid", input: ["logit"], output: [output] }));
  } else if (kind === "two-column") {
    initializer.push(tensor("one", [1], [1]));
    nodes.push(
      onnx.NodeProto.create({ opType: "Sigmoid", input: ["logit"], output: ["p"] }),
      onnx.NodeProto.create({ opType: "Sub", input: ["one", "p"], output: ["q"] }),
      onnx.NodeProto.create({
        opType: "Concat",
        input: ["q", "p"],
        output: [output],
        attribute: [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
      }),
    );
  }
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "next-best-action-tests",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "logistic",
      node: nodes,
      initializer,
      input: [valueInfo(input, [batch, width])],
      output: [valueInfo(output, [batch, kind === "two-column" ? 2 : 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Metadata for numeric inputs x0..x{F-1} with no scaling and fill 0, so encoded = raw. */
export function fixtureMetadata(
  name: string,
  width: number,
  overrides: Partial<Omit<ModelMetadata, "onnx">> & { onnx?: Partial<ModelMetadata["onnx"]> } = {},
): Omit<ModelMetadata, "version"> & { version?: string } {
  const { onnx: onnxOverrides, ...rest } = overrides;
  return {
    schemaVersion: 1,
    name,
    kind: "logistic",
    task: "binary_classification",
    onnx: {
      file: "model.onnx",
      inputName: "features",
      outputName: "probability",
      outputKind: "probability",
      outputColumn: 0,
      ...onnxOverrides,
    },
    inputs: Array.from({ length: width }, (_, i) => ({
      type: "numeric" as const,
      name: `x${i}`,
      mean: 0,
      scale: 1,
      fill: 0,
    })),
    inputWidth: width,
    metrics: { roc_auc: 0.75, brier: 0.18 },
    training: { createdAt: "2025-01-01T00:00:00.000Z", command: "test fixture" },
    ...rest,
  };
}

export interface WrittenVersion {
  readonly version: string;
  readonly path: string;
}

/**
 * Writes models/<name>/<version>/{model.onnx, metadata.json}. The version is a content hash unless
 * given; `metadata` may be any JSON (to test refusals), `onnxBytes` any bytes.
 */
export function writeModelVersion(
  dir: string,
  name: string,
  files: { onnxBytes: Uint8Array; metadata: Record<string, unknown>; version?: string },
): WrittenVersion {
  const hash = createHash("sha256").update(files.onnxBytes).update(JSON.stringify(files.metadata));
  const version =
    files.version ?? (files.metadata.version as string | undefined) ?? hash.digest("hex").slice(0, 16);
  const path = join(dir, name, version);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, "model.onnx"), files.onnxBytes);
  writeFileSync(join(path, "metadata.json"), `${JSON.stringify({ ...files.metadata, version }, null, 2)}\n`);
  return { version, path };
}

/** Writes a valid logistic model version with the given weights (numeric inputs x0..). */
export function writeLogistic(
  dir: string,
  name: string,
  spec: LogisticSpec,
  createdAt = "2025-01-01T00:00:00.000Z",
): WrittenVersion {
  const metadata = fixtureMetadata(name, spec.weights.length, {
    training: { createdAt, command: "test fixture" },
    onnx: {
      ...(spec.inputName ? { inputName: spec.inputName } : {}),
      ...(spec.outputName ? { outputName: spec.outputName } : {}),
    },
  });
  return writeModelVersion(dir, name, { onnxBytes: logisticOnnx(spec), metadata });
}

/** The closed form the fixture computes, in float64. */
export function logistic(spec: Pick<LogisticSpec, "weights" | "bias">, x: readonly number[]): number {
  const z = spec.weights.reduce((s, w, i) => s + w * (x[i] ?? 0), spec.bias);
  return 1 / (1 + Math.exp(-z));
}
