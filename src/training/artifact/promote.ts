/**
 * `--promote`: hands a freshly written version to the serving side's registry (which validates it
 * fully, then records it in registry.json), but only when it is not worse than the promoted model on
 * the same held-out rows. A deliberate downgrade, or a model that could not be compared, stays a
 * human decision: `npm run models -- promote`.
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

/**
 * Why a run cannot be judged against the promoted `version` of `name`: nothing was scored on the
 * same rows. Also the CLI's reason to refuse `--promote --no-compare` before training.
 */
export function noComparisonReason(name: string, version: string, skipped: boolean): string {
  return (
    `no same-rows comparison with the promoted ${name} ${version} was made` +
    (skipped ? " (--no-compare): run again without --no-compare to compare" : "")
  );
}

/**
 * Why the run may not be promoted over `promotedVersion` (the registry's, undefined when nothing
 * is promoted under this name yet), or undefined when it may. Without a same-rows comparison there
 * is no evidence the new model is not worse, so only a first model is promoted unchecked.
 */
export function promotionBlocker(run: TrainingRun, promotedVersion: string | undefined): string | undefined {
  if (promotedVersion === undefined) return undefined;
  const { name } = run.metadata;
  const comparison = run.promoted;
  // A comparison with another version (the registry changed during the run) says nothing about this one.
  if (!comparison || comparison.version !== promotedVersion)
    return noComparisonReason(name, promotedVersion, !run.compared);
  const prom = comparison.evaluation;
  if (!prom)
    return `the promoted ${name} ${promotedVersion} could not be scored on these rows (${comparison.note})`;
  const e = run.trained.evaluation;
  if (e.rocAuc < prom.rocAuc - PROMOTION_TOLERANCE)
    return `ROC AUC ${e.rocAuc.toFixed(4)} < promoted ${prom.rocAuc.toFixed(4)} on the same rows`;
  if (e.logLoss > prom.logLoss + PROMOTION_TOLERANCE)
    return `log loss ${e.logLoss.toFixed(4)} > promoted ${prom.logLoss.toFixed(4)} on the same rows`;
  return undefined;
}

export async function promoteRun(run: TrainingRun, modelsDir: string): Promise<PromotionOutcome> {
  const { name, version } = run.metadata;
  const registry = new ModelRegistry(modelsDir);
  const blocker = promotionBlocker(run, await registry.promoted(name));
  if (blocker) {
    return {
      promoted: false,
      message: `not promoted: ${blocker}; to promote anyway: npm run models -- promote ${name} ${version}`,
    };
  }
  let by = "train-cli";
  try {
    by = `train-cli:${userInfo().username}`;
  } catch {
    // No user name in some containers; the generic tag will do.
  }
  const result = await registry.promote(name, version, by);
  return {
    promoted: true,
    message: result.changed
      ? `promoted ${name} ${version} (was ${result.previous ?? "none"})`
      : `${name} ${version} was already promoted`,
  };
}
