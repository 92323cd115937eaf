/**
 * models/registry.json: for each model name, the promoted version and the history of promotions and
 * rollbacks that led there. Read with zod; written atomically (a temp file in the same folder, fsync,
 * rename), so a reader (another process, the file watcher) sees the old file or the new one, never half.
 *
 *   {"schemaVersion": 1, "models": {"churn": {"promoted": "ab12...", "history": [
 *     {"action": "promote", "version": "ab12...", "previous": null, "promotedAt": "2025-...Z", "by": "cli:ann"}]}}}
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { z } from "zod";
import { ModelRegistryError } from "../errors/model-registry-error.js";
import { modelNameSchema, modelVersionSchema } from "./model-ids.js";

export const REGISTRY_FILE_NAME = "registry.json";

const promotionSchema = z.strictObject({
  /** `promote` put `version` in place; `rollback` returned to it. */
  action: z.enum(["promote", "rollback"]),
  version: modelVersionSchema,
  previous: modelVersionSchema.nullable().default(null),
  promotedAt: z.iso.datetime(),
  by: z.string().min(1),
});

const modelStateSchema = z.strictObject({
  promoted: modelVersionSchema,
  history: z.array(promotionSchema).default([]),
});

export const registryFileSchema = z.strictObject({
  schemaVersion: z.literal(1),
  models: z.record(modelNameSchema, modelStateSchema),
});

export type RegistryFile = z.output<typeof registryFileSchema>;
export type ModelRegistryState = z.output<typeof modelStateSchema>;
export type Promotion = z.output<typeof promotionSchema>;

export const emptyRegistry = (): RegistryFile => ({ schemaVersion: 1, models: {} });

/** The registry file's content; an empty registry when the file does not exist. Throws ModelRegistryError. */
export async function readRegistryFile(path: string): Promise<RegistryFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return emptyRegistry();
    throw new ModelRegistryError(`${path}: cannot be read (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelRegistryError(`${path}: not valid JSON (${(err as Error).message}); fix or delete it`);
  }
  const parsed = registryFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`);
    throw new ModelRegistryError(`${path}: invalid (${problems.join("; ")}); fix or delete it`);
  }
  return parsed.data;
}

/** Replaces the registry file atomically: temp file in the same folder, fsync, rename over the old one. */
export async function writeRegistryFile(path: string, registry: RegistryFile): Promise<void> {
  const text = `${JSON.stringify(registryFileSchema.parse(registry), null, 2)}\n`;
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * The versions a rollback walks back through, oldest first, current last: promotions push, rollbacks
 * pop (so two rollbacks after promoting A, B, C return to A). A hand-edited `promoted` that the
 * history does not end with is treated as a promotion on top.
 */
export function promotionStack(state: ModelRegistryState): string[] {
  const stack: string[] = [];
  for (const entry of state.history) {
    if (entry.action === "rollback") {
      stack.pop();
      if (stack.at(-1) !== entry.version) stack.push(entry.version);
    } else if (stack.at(-1) !== entry.version) {
      stack.push(entry.version);
    }
  }
  if (stack.at(-1) !== state.promoted) stack.push(state.promoted);
  return stack;
}

/** The registry with `version` recorded as promoted for `name` (pure). */
export function withPromotion(
  registry: RegistryFile,
  name: string,
  entry: Omit<Promotion, "previous">,
): RegistryFile {
  const current = registry.models[name];
  const promotion: Promotion = { ...entry, previous: current?.promoted ?? null };
  return {
    ...registry,
    models: {
      ...registry.models,
      [name]: { promoted: entry.version, history: [...(current?.history ?? []), promotion] },
    },
  };
}
