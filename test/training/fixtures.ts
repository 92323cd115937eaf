/** Small generated training sets shared by the training tests (built once per test file). */
import { loadModelVersion } from "../../src/scoring/load-model.js";
import { generatedSet, sampleInput } from "../../src/training/data/generated-source.js";
import { runTraining, type TrainingRun } from "../../src/training/pipeline/run-training.js";
import type { TrainOptions } from "../../src/training/pipeline/train-model.js";
import type { TrainingSet } from "../../src/training/table.js";

const cache = new Map<string, TrainingSet>();

/** Propensity rows of a 1,200-customer sample: about 4,500 impressions, 5% accepted. */
export function smallSet(task: "churn" | "propensity", customers = 1200): TrainingSet {
  const key = `${task}:${customers}`;
  let set = cache.get(key);
  if (!set) {
    set = generatedSet(task, sampleInput({ customers, days: 60, seed: 11, end: Date.UTC(2026, 0, 1) }));
    cache.set(key, set);
  }
  return set;
}

/**
 * Trains a churn model on 2,000 generated customers, writes its version folder under `modelsDir`,
 * then loads it with the service's loader (full validation) and scores three raw rows with it:
 * every kind must serve unchanged. Returns the run and the three probabilities.
 */
export async function trainWriteAndServe(
  modelsDir: string,
  train: TrainOptions,
): Promise<{ run: TrainingRun; served: { kind: string; predictions: readonly number[] } }> {
  const run = await runTraining(smallSet("churn", 2000), {
    name: "churn",
    modelsDir,
    command: `npm run train:churn -- --model ${train.kind}`,
    train,
    compare: false,
    now: new Date("2026-01-01T00:00:00Z"),
  });
  const model = await loadModelVersion(modelsDir, "churn", run.metadata.version);
  try {
    const predictions = await model.predict([
      {},
      { tenure_months: 60 },
      { tenure_months: 2, complaints_30d: 3, logins_30d: 0 },
    ]);
    return { run, served: { kind: model.metadata.kind, predictions: Array.from(predictions) } };
  } finally {
    await model.release();
  }
}
