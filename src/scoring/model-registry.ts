/**
 * The model registry on disk: `<dir>/<name>/<version>/{model.onnx, metadata.json, metrics.json?,
 * report.html?}` holds the artifacts, `<dir>/registry.json` which version of each name is promoted.
 * Listing reads metadata only; promotion and rollback first load the target version fully (see
 * load-model.ts) and refuse it with the reason when it may not serve, then record it atomically.
 */
import { access, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ModelInvalidError, type ModelProblem } from "../errors/model-invalid-error.js";
import { ModelNotFoundError } from "../errors/model-not-found-error.js";
import { NoPreviousModelVersionError } from "../errors/no-previous-model-version-error.js";
import { type LoadOptions, loadModelVersion, readModelMetadata } from "./load-model.js";
import { MODEL_NAME_PATTERN, MODEL_VERSION_PATTERN } from "./model-ids.js";
import type { ModelMetadata } from "./model-metadata.js";
import type { OnnxModel } from "./onnx-model.js";
import {
  type Promotion,
  promotionStack,
  REGISTRY_FILE_NAME,
  type RegistryFile,
  readRegistryFile,
  withPromotion,
  writeRegistryFile,
} from "./registry-file.js";

/** One version folder: valid (with its metadata) or invalid (with every problem, each naming its file). */
export type ModelVersionInfo = {
  readonly version: string;
  readonly promoted: boolean;
  /** Whether the folder holds a report.html. */
  readonly report: boolean;
} & (
  | { readonly valid: true; readonly metadata: ModelMetadata }
  | { readonly valid: false; readonly problems: readonly ModelProblem[] }
);

export interface ModelEntry {
  readonly name: string;
  readonly promoted: string | undefined;
  /** Valid versions newest first (by training.createdAt), then invalid ones. */
  readonly versions: readonly ModelVersionInfo[];
  readonly history: readonly Promotion[];
}

/** The outcome of a promotion or rollback; `changed` is false when `version` already was promoted. */
export interface PromotionResult {
  readonly name: string;
  readonly version: string;
  readonly previous: string | undefined;
  readonly changed: boolean;
  readonly action: Promotion["action"];
}

export interface LoadedPromotion {
  readonly promotion: PromotionResult;
  /** The validated model, ready to serve; the caller owns it (serve it or release it). */
  readonly model: OnnxModel;
}

const names = async (path: string): Promise<string[]> =>
  readdir(path, { withFileTypes: true }).then(
    (entries) => entries.filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name),
    (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return [];
      throw err;
    },
  );

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

export class ModelRegistry {
  /** The registry file: `<dir>/registry.json`. */
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, REGISTRY_FILE_NAME);
  }

  /** The registry file's content (empty when it does not exist). Throws ModelRegistryError when invalid. */
  state(): Promise<RegistryFile> {
    return readRegistryFile(this.file);
  }

  async promoted(name: string): Promise<string | undefined> {
    return (await this.state()).models[name]?.promoted;
  }

  /**
   * Every model folder (and every name registry.json promotes), sorted by name. Validates each
   * version's metadata; with `deep`, loads and probes each model too, as promotion would.
   */
  async list(options: { deep?: boolean } = {}): Promise<ModelEntry[]> {
    const registry = await this.state();
    const modelNames = new Set((await names(this.dir)).filter((n) => MODEL_NAME_PATTERN.test(n)));
    for (const name of Object.keys(registry.models)) modelNames.add(name);
    return Promise.all(
      [...modelNames].sort().map(async (name): Promise<ModelEntry> => {
        const state = registry.models[name];
        const folders = await names(join(this.dir, name));
        if (state && !folders.includes(state.promoted)) folders.push(state.promoted);
        const versions = await Promise.all(
          folders.map((v) => this.describe(name, v, state?.promoted === v, options.deep ?? false)),
        );
        return {
          name,
          promoted: state?.promoted,
          versions: versions.sort(byNewest),
          history: state?.history ?? [],
        };
      }),
    );
  }

  /** Loads and validates a version, ready to serve (the caller owns it). Throws ModelNotFoundError or ModelInvalidError. */
  open(name: string, version: string, options: LoadOptions = {}): Promise<OnnxModel> {
    this.checkIds(name, version);
    return loadModelVersion(this.dir, name, version, options);
  }

  /**
   * A summary of a version folder's files (name, inode, size, change time) that differs whenever a
   * file in it is added, removed, rewritten or re-permissioned; "" when the folder does not exist.
   */
  async fingerprint(name: string, version: string): Promise<string> {
    this.checkIds(name, version);
    const folder = join(this.dir, name, version);
    const entries = await readdir(folder).catch(() => undefined);
    if (entries === undefined) return "";
    const parts = await Promise.all(
      entries.sort().map((entry) =>
        stat(join(folder, entry), { bigint: true }).then(
          (s) => `${entry}:${s.ino}:${s.size}:${s.ctimeNs}`,
          () => `${entry}:?`,
        ),
      ),
    );
    return parts.join("|");
  }

  /** Validates a version fully (as promotion would) and returns its metadata. */
  async validate(name: string, version: string): Promise<ModelMetadata> {
    const model = await this.open(name, version);
    await model.release();
    return model.metadata;
  }

  /** Validates `version` fully, then records it as promoted. */
  async promote(name: string, version: string, by = "unknown"): Promise<PromotionResult> {
    const { promotion, model } = await this.promoteAndLoad(name, version, by);
    await model.release();
    return promotion;
  }

  /** Validates the previously promoted version fully, then records the rollback to it. */
  async rollback(name: string, by = "unknown"): Promise<PromotionResult> {
    const { promotion, model } = await this.rollbackAndLoad(name, by);
    await model.release();
    return promotion;
  }

  /** `promote`, keeping the validated model loaded for the caller to serve (no second load). */
  promoteAndLoad(
    name: string,
    version: string,
    by: string,
    options: LoadOptions = {},
  ): Promise<LoadedPromotion> {
    this.checkIds(name, version);
    return this.change(name, version, "promote", by, options);
  }

  /** `rollback`, keeping the validated model loaded for the caller to serve. */
  async rollbackAndLoad(name: string, by: string, options: LoadOptions = {}): Promise<LoadedPromotion> {
    this.checkIds(name);
    const state = (await this.state()).models[name];
    if (state === undefined && !(await exists(join(this.dir, name)))) throw this.unknown(name);
    const target = state ? promotionStack(state).at(-2) : undefined;
    if (target === undefined) throw new NoPreviousModelVersionError(name);
    return this.change(name, target, "rollback", by, options);
  }

  private async change(
    name: string,
    version: string,
    action: Promotion["action"],
    by: string,
    options: LoadOptions,
  ): Promise<LoadedPromotion> {
    if (!(await exists(join(this.dir, name)))) throw this.unknown(name);
    const model = await loadModelVersion(this.dir, name, version, options);
    try {
      // Read again after the (slow) validation, so a change made meanwhile is kept in the history.
      const registry = await this.state();
      const previous = registry.models[name]?.promoted;
      const changed = previous !== version;
      if (changed) {
        const entry = { action, version, promotedAt: new Date().toISOString(), by };
        await writeRegistryFile(this.file, withPromotion(registry, name, entry));
      }
      return { promotion: { name, version, previous, changed, action }, model };
    } catch (err) {
      await model.release();
      throw err;
    }
  }

  private async describe(
    name: string,
    version: string,
    promoted: boolean,
    deep: boolean,
  ): Promise<ModelVersionInfo> {
    const folder = join(this.dir, name, version);
    if (!MODEL_VERSION_PATTERN.test(version)) {
      const problem = "the folder name is not a model version (12-64 lower-case hex characters)";
      return { version, promoted, report: false, valid: false, problems: [{ file: folder, problem }] };
    }
    if (promoted && !(await exists(folder))) {
      const problem = `is promoted in ${this.file} but does not exist`;
      return { version, promoted, report: false, valid: false, problems: [{ file: folder, problem }] };
    }
    const report = await exists(join(folder, "report.html"));
    const meta = await readModelMetadata(this.dir, name, version);
    if (meta.ok && deep) {
      try {
        await this.validate(name, version);
      } catch (err) {
        const problems =
          err instanceof ModelInvalidError ? err.problems : [{ file: folder, problem: String(err) }];
        return { version, promoted, report, valid: false, problems };
      }
    }
    return meta.ok
      ? { version, promoted, report, valid: true, metadata: meta.metadata }
      : { version, promoted, report, valid: false, problems: meta.problems };
  }

  private checkIds(name: string, version?: string): void {
    if (!MODEL_NAME_PATTERN.test(name)) throw this.unknown(name);
    if (version !== undefined && !MODEL_VERSION_PATTERN.test(version)) {
      throw new ModelNotFoundError(
        `"${version}" is not a model version (12-64 lower-case hex characters); npm run models -- list shows the versions of ${name}`,
      );
    }
  }

  private unknown(name: string): ModelNotFoundError {
    return new ModelNotFoundError(`No model named "${name}" in ${this.dir}`);
  }
}

function byNewest(a: ModelVersionInfo, b: ModelVersionInfo): number {
  if (a.valid && b.valid) {
    return (
      b.metadata.training.createdAt.localeCompare(a.metadata.training.createdAt) ||
      a.version.localeCompare(b.version)
    );
  }
  if (a.valid !== b.valid) return a.valid ? -1 : 1;
  return a.version.localeCompare(b.version);
}
