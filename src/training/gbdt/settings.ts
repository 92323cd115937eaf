/**
 * gbdt settings per generated-data task beside the defaults of params.ts, chosen on the validation
 * rows (docs/models.md); CSV data gets the defaults (the bench passes its own per-data settings).
 */
import type { GeneratedTask } from "../data/generated-source.js";
import type { GbdtParams } from "./params.js";

export const GBDT_SETTINGS: Readonly<Record<GeneratedTask, Partial<GbdtParams>>> = {
  churn: {},
  propensity: {},
};
