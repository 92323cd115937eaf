/**
 * Where a training run gets its rows: a CSV described by flags or a config, a generated dataset
 * folder, or (with neither) a seeded sample from the project's generator, so the commands work
 * from a fresh clone.
 */
import type { GenerateOptions } from "../../generator/index.js";
import type { TrainingSet } from "../table.js";
import { type CsvConfigInput, readCsvConfigFile, resolveCsvConfig } from "./csv-config.js";
import { loadCsv } from "./csv-source.js";
import type { DataProgress } from "./generated-rows.js";
import {
  DEFAULT_SAMPLE,
  type GeneratedSetOptions,
  type GeneratedTask,
  generatedSet,
  readGeneratedDir,
  sampleInput,
} from "./generated-source.js";

export type DataSpec =
  | { readonly kind: "csv"; readonly configFile?: string; readonly flags: Partial<CsvConfigInput> }
  | {
      readonly kind: "dir";
      readonly dir: string;
      readonly task: GeneratedTask;
      readonly set?: GeneratedSetOptions;
    }
  | {
      readonly kind: "sample";
      readonly options?: Partial<GenerateOptions>;
      readonly task: GeneratedTask;
      readonly set?: GeneratedSetOptions;
    };

/** `onProgress` hears generated data being built (a CSV reads in seconds and reports nothing). */
export async function loadTrainingData(
  spec: DataSpec,
  onProgress?: (p: DataProgress) => void,
): Promise<TrainingSet> {
  switch (spec.kind) {
    case "csv": {
      const file = spec.configFile ? readCsvConfigFile(spec.configFile) : {};
      return loadCsv(resolveCsvConfig(file, spec.flags));
    }
    case "dir":
      return generatedSet(spec.task, await readGeneratedDir(spec.dir), spec.set, onProgress);
    case "sample":
      return generatedSet(
        spec.task,
        sampleInput({ ...DEFAULT_SAMPLE, ...spec.options }, onProgress),
        spec.set,
        onProgress,
      );
  }
}

/** Whether rows carry more than one distinct time (a time split is possible). */
export function hasTimeSpread(set: TrainingSet): boolean {
  const t = set.times;
  if (!t || t.length === 0) return false;
  for (let i = 1; i < t.length; i++) if (t[i] !== t[0]) return true;
  return false;
}
