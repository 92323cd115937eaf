/**
 * Writes one model version folder: model.onnx, metadata.json, metrics.json, report.html. Files go
 * to a temporary sibling folder that is renamed into place at the end, so a registry watching
 * models/<name>/ never sees a half-written version. A folder that already holds the same version is
 * kept as it is: the version is a content hash, so its model is the same, and replacing it would
 * leave a moment without the folder (a promoted version a replica could not load).
 */
import {
  type Dirent,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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

export interface WrittenArtifact {
  /** Absolute path of the version folder. */
  readonly dir: string;
  /** The folder already held this version and was kept unchanged (its files are the earlier run's). */
  readonly existed: boolean;
}

/** The version recorded in `<dir>/metadata.json`, or undefined when there is none to read. */
function versionIn(dir: string): string | undefined {
  try {
    const version: unknown = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `dir` already holds this version intact: its metadata names it and its model file is these
 * bytes (a truncated or damaged copy is replaced, not kept).
 */
function holds(dir: string, files: ArtifactFiles): boolean {
  if (versionIn(dir) !== files.metadata.version) return false;
  try {
    return readFileSync(join(dir, files.metadata.onnx.file)).equals(files.onnx);
  } catch {
    return false;
  }
}

/** A folder writeArtifact will not replace: it is not a model version folder. */
export class ArtifactDirError extends Error {}

/** Files a desktop adds to a folder someone opened (e.g. to look at report.html), which are not data. */
const DESKTOP_FILES = [".DS_Store", "Thumbs.db", "desktop.ini"];

/**
 * A folder this writer made: its metadata.json names a version and its model file, and it holds
 * nothing but those and the metrics and the report. A project folder that happens to have a
 * metadata.json among its own files is not one.
 */
function isVersionFolder(dir: string, entries: readonly Dirent[], incoming?: string): boolean {
  let model: unknown;
  try {
    const metadata = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8"));
    if (typeof metadata?.version !== "string") return false;
    // A folder named by its own version is a registry version (models/<name>/<version>): writing
    // another version into it would leave the registry pointing at a model it did not promote. The
    // same version may be written again (a damaged copy repaired).
    if (metadata.version === basename(dir) && incoming !== undefined && incoming !== metadata.version)
      return false;
    model = metadata.onnx?.file;
  } catch {
    return false;
  }
  const ours = new Set(["metadata.json", "metrics.json", "report.html", model, ...DESKTOP_FILES]);
  return entries.every((e) => e.isFile() && ours.has(e.name));
}

/**
 * Why `dir` may not be replaced by a version folder, or undefined when it may: it does not exist, is
 * empty, or is a version folder this writer made (e.g. an `--out` folder reused).
 * Anything else (`--out models`, `--out ~/work`) is someone's data: replacing it would delete it.
 */
export function replaceProblem(dir: string, incoming?: string): string | undefined {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    return code === "ENOTDIR" ? `${dir} is a file, not a folder` : (err as Error).message;
  }
  if (entries.length === 0) return undefined;
  if (isVersionFolder(dir, entries, incoming)) return undefined;
  const shown = entries
    .slice(0, 5)
    .map((e) => e.name)
    .join(", ");
  return (
    `${dir} already holds other files (${shown}${entries.length > 5 ? ", ..." : ""}) and is not a model version folder, ` +
    "so it is not replaced: write to a new or empty folder (--out is the version folder itself, not the models folder)"
  );
}

/**
 * Writes the four files into `dir`, unless it already holds this version; replaces an earlier version
 * folder, and refuses any other non-empty folder (ArtifactDirError) before writing anything.
 */
export function writeArtifact(dir: string, files: ArtifactFiles): WrittenArtifact {
  const target = resolve(dir);
  if (holds(target, files)) return { dir: target, existed: true };
  const problem = replaceProblem(target, files.metadata.version);
  if (problem) throw new ArtifactDirError(problem);
  const staging = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, files.metadata.onnx.file), files.onnx);
  writeFileSync(join(staging, "metadata.json"), `${JSON.stringify(files.metadata, null, 2)}\n`);
  writeFileSync(join(staging, "metrics.json"), `${JSON.stringify(files.metrics, roundNumbers, 2)}\n`);
  writeFileSync(join(staging, "report.html"), files.reportHtml);
  try {
    renameSync(staging, target); // fails on a non-empty target: nothing is replaced by accident
    return { dir: target, existed: false };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOTEMPTY" && code !== "EEXIST" && code !== "ENOTDIR") throw err;
  }
  // Another run of the same command may have finished meanwhile.
  if (holds(target, files)) {
    rmSync(staging, { recursive: true, force: true });
    return { dir: target, existed: true };
  }
  // Two renames, so a reader finds the folder missing for a moment only, never half written.
  const old = join(dirname(target), `.${basename(target)}.old-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  renameSync(target, old);
  renameSync(staging, target);
  rmSync(old, { recursive: true, force: true });
  return { dir: target, existed: false };
}

/** Six significant digits are plenty for metrics and keep metrics.json small and diffable. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && Number.isFinite(value) && !Number.isInteger(value)
    ? Number(value.toPrecision(6))
    : value;
}
