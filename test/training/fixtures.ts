/** Small generated training sets shared by the training tests (built once per test file). */
import { generatedSet, sampleInput } from "../../src/training/data/generated-source.js";
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
