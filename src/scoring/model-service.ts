/**
 * Serves the promoted version of each model and swaps versions without failing a request. `get` reads
 * a Map (no I/O on the hot path). A new version is loaded and validated completely (load-model.ts)
 * before one Map.set swaps it in; requests that already took the old instance finish on it, and it is
 * released after a grace period once idle. A corrupt or incompatible version is refused with a logged
 * error and a metric, and the version serving before keeps serving. Changes arrive by promote/rollback
 * here, by `reload()`, or from registry.json (written by the CLI or another replica): it is watched
 * (fs.watch on its folder, debounced) and polled slowly as a fallback.
 *
 * The poll retries a promoted version that failed to load unless the failure was a verdict on the
 * model (ModelInvalidError) and its folder is unchanged since: a folder that does not exist yet
 * (registry.json arrived first), or a file that could not be read, is a state of the disk that passes,
 * and a folder still being copied changes until it is complete.
 */
import type { Logger } from "pino";
import { ModelInvalidError } from "../errors/model-invalid-error.js";
import type { ModelRegistry, PromotionResult } from "./model-registry.js";
import type { OnnxModel } from "./onnx-model.js";
import { type RegistryWatch, watchRegistryFile } from "./registry-watcher.js";
import type { ScoringMetrics } from "./scoring-metrics.js";

export interface ModelServiceOptions {
  readonly logger: Logger;
  readonly metrics?: ScoringMetrics;
  /** Model names that must serve before the service is ready (e.g. ["churn", "propensity"]). */
  readonly required?: readonly string[];
  /** Watch and poll registry.json for changes made elsewhere (default true). */
  readonly watch?: boolean;
  /** Quiet period after a registry.json event before it is read, ms (default 200). */
  readonly debounceMs?: number;
  /** Interval of the fallback poll of registry.json, ms (default 10,000). */
  readonly pollIntervalMs?: number;
  /** How long a replaced model stays usable for requests that already hold it, ms (default 30,000). */
  readonly releaseGraceMs?: number;
}

/** A version that was promoted but refused here; the previous version (if any) keeps serving. */
export interface RefusedVersion {
  readonly version: string;
  readonly message: string;
  /** Epoch ms. */
  readonly at: number;
}

/** What one reload did: versions swapped in, versions refused, or why registry.json could not be read. */
export interface ReloadReport {
  readonly loaded: { name: string; version: string; previous: string | undefined }[];
  readonly refused: { name: string; version: string; message: string }[];
  readonly registryError?: string;
}

interface Refusal {
  readonly refused: RefusedVersion;
  /** For an invalid version, its folder's fingerprint before the load: not retried while it matches. */
  readonly fingerprint?: string;
}

export class ModelService {
  private readonly models = new Map<string, OnnxModel>();
  private readonly refusals = new Map<string, Refusal>();
  private readonly retired = new Set<OnnxModel>();
  private readonly logger: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  private watch: RegistryWatch | undefined;
  private lastRegistryError: string | undefined;
  private closed = false;

  constructor(
    readonly registry: ModelRegistry,
    private readonly options: ModelServiceOptions,
  ) {
    this.logger = options.logger;
  }

  /** Loads every promoted version (a refused one is logged; `ready()` tells), then watches registry.json. */
  async start(): Promise<ReloadReport> {
    const report = await this.reload();
    if (this.options.watch ?? true) {
      this.watch = watchRegistryFile(this.registry.file, {
        debounceMs: this.options.debounceMs ?? 200,
        pollIntervalMs: this.options.pollIntervalMs ?? 10_000,
        onChange: () => void this.enqueue(() => this.sync(false)),
        onError: (err) =>
          this.logger.warn({ err: err.message }, "model registry watch failed; polling continues"),
      });
    }
    return report;
  }

  /** The model serving `name` now, or undefined. Hold the returned instance for the whole request. */
  get(name: string): OnnxModel | undefined {
    return this.models.get(name);
  }

  /** name -> the version serving it. */
  versions(): Record<string, string> {
    return Object.fromEntries([...this.models].map(([name, model]) => [name, model.version]));
  }

  /** True when every required model serves. */
  ready(): boolean {
    return this.missing().length === 0;
  }

  /** Required model names that do not serve (yet). */
  missing(): string[] {
    return (this.options.required ?? []).filter((name) => !this.models.has(name));
  }

  /** The last refused version of `name`, unless a later version was loaded since. */
  refused(name: string): RefusedVersion | undefined {
    return this.refusals.get(name)?.refused;
  }

  /** Reads registry.json now and loads every promoted version that does not serve yet, retrying refused ones. */
  reload(): Promise<ReloadReport> {
    return this.enqueue(() => this.sync(true));
  }

  /** Validates and promotes `version`, then serves it (before this resolves). Throws the registry's errors. */
  promote(name: string, version: string, by: string): Promise<PromotionResult> {
    return this.enqueue(() =>
      this.change(name, () => this.registry.promoteAndLoad(name, version, by, this.loadOptions())),
    );
  }

  /** Validates and rolls back to the previously promoted version, then serves it. */
  rollback(name: string, by: string): Promise<PromotionResult> {
    return this.enqueue(() =>
      this.change(name, () => this.registry.rollbackAndLoad(name, by, this.loadOptions())),
    );
  }

  /** Stops watching and releases every session; the service serves nothing afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.watch?.close();
    await this.queue;
    const all = [...this.models.values(), ...this.retired];
    this.models.clear();
    this.retired.clear();
    await Promise.all(all.map((m) => m.release()));
  }

  // Loads, swaps and registry writes run one at a time, so two changes never interleave.
  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private loadOptions() {
    return this.options.metrics ? { metrics: this.options.metrics } : {};
  }

  private async change(
    name: string,
    load: () => ReturnType<ModelRegistry["promoteAndLoad"]>,
  ): Promise<PromotionResult> {
    let loaded: Awaited<ReturnType<typeof load>>;
    try {
      loaded = await load();
    } catch (err) {
      // For a rollback, err.version is its target.
      if (err instanceof ModelInvalidError) this.refuse(name, err.version, err);
      throw err;
    }
    const serving = this.models.get(name)?.version === loaded.model.version;
    if (serving || this.closed) await loaded.model.release();
    else this.install(loaded.model);
    return loaded.promotion;
  }

  private async sync(force: boolean): Promise<ReloadReport> {
    const report: ReloadReport = { loaded: [], refused: [] };
    if (this.closed) return report;
    let promoted: [string, string][];
    try {
      const registry = await this.registry.state();
      promoted = Object.entries(registry.models).map(([name, state]) => [name, state.promoted]);
      this.lastRegistryError = undefined;
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.lastRegistryError || force) {
        this.logger.error({ err: message }, "model registry unreadable; the loaded models keep serving");
      }
      this.lastRegistryError = message;
      return { ...report, registryError: message };
    }
    for (const [name, version] of promoted) {
      const current = this.models.get(name);
      if (current?.version === version) continue;
      // Taken before the load, so a folder that changes while a load fails is retried.
      const fingerprint = await this.registry.fingerprint(name, version);
      const refusal = this.refusals.get(name);
      if (!force && refusal?.refused.version === version && refusal.fingerprint === fingerprint) continue;
      try {
        const model = await this.registry.open(name, version, this.loadOptions());
        if (this.closed) {
          await model.release();
          return report;
        }
        this.install(model);
        report.loaded.push({ name, version, previous: current?.version });
      } catch (err) {
        const sticky = err instanceof ModelInvalidError ? fingerprint : undefined;
        report.refused.push({ name, version, message: this.refuse(name, version, err, sticky) });
      }
    }
    return report;
  }

  private install(model: OnnxModel): void {
    const previous = this.models.get(model.name);
    this.models.set(model.name, model); // the swap: later get() calls see the new model
    this.refusals.delete(model.name);
    this.options.metrics?.modelLoads.inc({ model: model.name, outcome: "loaded" });
    this.options.metrics?.served(model.name, model.version, previous?.version);
    this.logger.info(
      { model: model.name, version: model.version, previous: previous?.version },
      "model serving",
    );
    if (previous) {
      this.retired.add(previous);
      previous.retire(this.options.releaseGraceMs ?? 30_000);
      this.forgetReleased();
    }
  }

  /** Records a failed load; `fingerprint` makes it sticky (see Refusal). Logs and counts it once. */
  private refuse(name: string, version: string, err: unknown, fingerprint?: string): string {
    const message = err instanceof Error ? err.message : String(err);
    const before = this.refusals.get(name)?.refused;
    const again = before !== undefined && before.version === version && before.message === message;
    this.refusals.set(name, {
      refused: again ? before : { version, message, at: Date.now() },
      ...(fingerprint === undefined ? {} : { fingerprint }),
    });
    // A retry that failed the same way (a folder still missing, on every poll) was already reported.
    if (again) return message;
    this.options.metrics?.modelLoads.inc({ model: name, outcome: "refused" });
    const serving = this.models.get(name);
    this.logger.error(
      { model: name, version, err: message },
      `model ${name}/${version} refused; ${serving ? `version ${serving.version} keeps serving` : "no version of it serves"}`,
    );
    return message;
  }

  private forgetReleased(): void {
    for (const model of this.retired) if (model.released) this.retired.delete(model);
  }
}
