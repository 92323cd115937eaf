/**
 * Writes one model version folder: model.onnx, metadata.json, metrics.json, report.html. Files go
 * to a temporary sibling folder that is renamed into place at the end, so a registry watching
 * models/<name>/ never sees a half-written version.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { ModelMetadata } from "../../scoring/model-metadata.js";

export interface ArtifactFiles {
  readonly onnx: Uint8Array;
  readonly metadata: ModelMetadata;
  /** Serialised as pretty JSON. */
  readonly metrics: unknown;
  readonly reportHtml: string;
}

/** The registry layout's folder for a version: `<modelsDir>/<name>/<version>`. */
export function versionDir(modelsDir: string, name: string, version: string): string {
  return join(modelsDir, name, version);
}

/** Writes the four files into `dir` (replacing it if it exists) and returns the absolute path. */
export function writeArtifact(dir: string, files: ArtifactFiles): string {
  const target = resolve(dir);
  const staging = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, files.metadata.onnx.file), files.onnx);
  writeFileSync(join(staging, "metadata.json"), `${JSON.stringify(files.metadata, null, 2)}\n`);
  writeFileSync(join(staging, "metrics.json"), `${JSON.stringify(files.metrics, roundNumbers, 2)}\n`);
  writeFileSync(join(staging, "report.html"), files.reportHtml);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}

/** Six significant digits are plenty for metrics and keep metrics.json small and diffable. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(6))
    : value;
}
