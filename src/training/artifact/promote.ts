/**
 * `--promote`: hands a freshly written version to the serving side's registry (which validates it
 * fully, then records it in registry.json), but only when it is not worse than the promoted model on
 * the same held-out rows. A deliberate downgrade stays a human decision: `npm run models -- promote`.
 */
import { userInfo } from "node:os";
import { ModelRegistry } from "../../scoring/model-registry.js";
import type { TrainingRun } from "../pipeline/run-training.js";

/** How much worse (AUC lower / log loss higher) still counts as "not worse": metric noise. */
export const PROMOTION_TOLERANCE = 0.002;

export interface PromotionOutcome {
  readonly promoted: boolean;
  readonly message: string;
}

/** Why the run may not be promoted, or undefined when it may. */
export function promotionBlocker(run: TrainingRun): string | undefined {
  const prom = run.promoted?.evaluation;
  if (!prom) return undefined;
  const e = run.trained.evaluation;
  if (e.rocAuc < prom.rocAuc - PROMOTION_TOLERANCE)
    return `ROC AUC ${e.rocAuc.toFixed(4)} < promoted ${prom.rocAuc.toFixed(4)}`;
  if (e.logLoss > prom.logLoss + PROMOTION_TOLERANCE)
    return `log loss ${e.logLoss.toFixed(4)} > promoted ${prom.logLoss.toFixed(4)}`;
  return undefined;
}

export async function promoteRun(run: TrainingRun, modelsDir: string): Promise<PromotionOutcome> {
  const { name, version } = run.metadata;
  const blocker = promotionBlocker(run);
  if (blocker) {
    return {
      promoted: false,
      message: `not promoted: ${blocker} on the same rows; to promote anyway: npm run models -- promote ${name} ${version}`,
    };
  }
  let by = "train-cli";
  try {
    by = `train-cli:${userInfo().username}`;
  } catch {
    // No user name in some containers; the generic tag will do.
  }
  const result = await new ModelRegistry(modelsDir).promote(name, version, by);
  return {
    promoted: true,
    message: result.changed
      ? `promoted ${name} ${version} (was ${result.previous ?? "none"})`
      : `${name} ${version} was already promoted`,
  };
}
