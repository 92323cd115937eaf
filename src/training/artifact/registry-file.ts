/**
 * Read-only access to the serving side's `models/registry.json` (owned by src/scoring): which
 * version of a model is promoted, and that version's files. Training uses it to compare a new
 * model with the promoted one; it never writes the file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ModelMetadata, modelMetadataSchema } from "../../scoring/model-metadata.js";

export interface PromotedModel {
  readonly version: string;
  readonly dir: string;
  readonly metadata: ModelMetadata;
  /** The promoted model's own metrics.json, if readable (its test set, not ours). */
  readonly storedMetrics?: Record<string, unknown>;
}

/** The promoted version of `name`, or undefined when there is no registry, entry or valid folder. */
export function readPromoted(modelsDir: string, name: string): PromotedModel | undefined {
  const registryPath = join(modelsDir, "registry.json");
  if (!existsSync(registryPath)) return undefined;
  try {
    const registry = JSON.parse(readFileSync(registryPath, "utf8")) as {
      models?: Record<string, { promoted?: unknown }>;
    };
    const version = registry.models?.[name]?.promoted;
    if (typeof version !== "string") return undefined;
    const dir = join(modelsDir, name, version);
    const metadata = modelMetadataSchema.parse(JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8")));
    let storedMetrics: Record<string, unknown> | undefined;
    try {
      storedMetrics = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf8")) as Record<string, unknown>;
    } catch {
      storedMetrics = undefined;
    }
    return { version, dir, metadata, ...(storedMetrics ? { storedMetrics } : {}) };
  } catch (e) {
    process.stderr.write(
      `warning: cannot read the promoted ${name} model (${(e as Error).message}); no comparison\n`,
    );
    return undefined;
  }
}
