/**
 * Assembles metadata.json and validates it with `modelMetadataSchema` (the serving contract) before
 * anything is written. The version is a content hash: sha256 over the ONNX bytes and the metadata
 * without `version` and without `training.createdAt` (a wall-clock field would give every retrain a
 * new version even when data, seed and command are the same), cut to 16 hex characters.
 */
import { createHash } from "node:crypto";
import { type ModelInput, type ModelMetadata, modelMetadataSchema } from "../../scoring/model-metadata.js";
import type { ModelKind } from "../model-kind.js";
import { ONNX_INPUT, ONNX_OUTPUT } from "../onnx/export-onnx.js";
import { inputWidth } from "../prep/fit-inputs.js";
import type { SourceInfo } from "../table.js";

export interface MetadataParts {
  readonly name: string;
  readonly kind: ModelKind;
  readonly inputs: readonly ModelInput[];
  /** Headline numbers; non-finite values are left out (the schema wants finite numbers). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly command: string;
  readonly seed: number;
  readonly rows: number;
  readonly info: SourceInfo;
  readonly createdAt: Date;
}

/** Thrown when the metadata would not pass the serving contract: a bug here, never bad input. */
export class MetadataContractError extends Error {}

/** Stable JSON: object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function contentVersion(onnxBytes: Uint8Array, metadata: Omit<ModelMetadata, "version">): string {
  const { training, ...rest } = metadata;
  const { createdAt: _createdAt, ...stableTraining } = training;
  return createHash("sha256")
    .update(onnxBytes)
    .update(canonicalJson({ ...rest, training: stableTraining }))
    .digest("hex")
    .slice(0, 16);
}

export function buildMetadata(parts: MetadataParts, onnxBytes: Uint8Array): ModelMetadata {
  const metrics = Object.fromEntries(Object.entries(parts.metrics).filter(([, v]) => Number.isFinite(v)));
  const draft: Omit<ModelMetadata, "version"> = {
    schemaVersion: 1,
    name: parts.name,
    kind: parts.kind,
    task: "binary_classification",
    onnx: {
      file: "model.onnx",
      inputName: ONNX_INPUT,
      outputName: ONNX_OUTPUT,
      outputKind: "probability",
      outputColumn: 0,
    },
    inputs: [...parts.inputs],
    inputWidth: inputWidth(parts.inputs),
    metrics,
    training: {
      createdAt: parts.createdAt.toISOString(),
      command: parts.command,
      seed: parts.seed,
      rows: parts.rows,
      dataHash: parts.info.dataHash,
      target: parts.info.target,
      positiveValue: parts.info.positiveValue,
      source: parts.info.source,
    },
  };
  const candidate = { ...draft, version: contentVersion(onnxBytes, draft) };
  const parsed = modelMetadataSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new MetadataContractError(`metadata does not satisfy modelMetadataSchema: ${issues}`);
  }
  return parsed.data;
}
