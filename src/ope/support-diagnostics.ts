/**
 * Checks that the log can support the target: where the target puts probability on actions the
 * logging policy (almost) never chose, outside the logged candidates, or never logged at all; how
 * large and how concentrated the importance weights are; what clipping changed.
 */
import { effectiveSampleSize } from "./effective-sample-size.js";
import type { LoggedDecision } from "./logged-decision.js";
import type { OpeDiagnostics } from "./ope-report.js";

export interface SupportInput {
  readonly rows: readonly LoggedDecision[];
  /** π(·|x_i) per row (same order as rows). */
  readonly probabilities: readonly Float64Array[];
  /** Unclipped weights. */
  readonly rawWeights: Float64Array;
  readonly weights: Float64Array;
  readonly outside: Float64Array;
  readonly clip: number | undefined;
  readonly minPropensity: number;
}

const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 ? 3 : 1)}%`;

export function supportDiagnostics(input: SupportInput): { diagnostics: OpeDiagnostics; warnings: string[] } {
  const { rows, probabilities, rawWeights, weights, outside, clip, minPropensity } = input;
  const n = rows.length;
  const logged = new Map<string, number>();
  for (const r of rows) logged.set(r.candidates[r.action]!, (logged.get(r.candidates[r.action]!) ?? 0) + 1);
  const target = new Map<string, number>();
  let lowRows = 0;
  let lowMass = 0;
  let zeroMass = 0;
  let neverMass = 0;
  rows.forEach((r, i) => {
    const pi = probabilities[i]!;
    let low = 0;
    r.candidates.forEach((a, k) => {
      const p = pi[k]!;
      if (p <= 0) return;
      target.set(a, (target.get(a) ?? 0) + p / n);
      if (!logged.has(a)) neverMass += p / n;
      const mu = r.loggingProbabilities
        ? r.loggingProbabilities[k]!
        : k === r.action
          ? r.propensity
          : undefined;
      if (mu !== undefined && mu < minPropensity) {
        low += p;
        if (mu <= 0) zeroMass += p / n;
      }
    });
    if (low > 0) lowRows++;
    lowMass += low / n;
  });
  let sumRaw = 0;
  let sumClipped = 0;
  let maxWeight = 0;
  let clippedRows = 0;
  let outsideRows = 0;
  let outsideMass = 0;
  for (let i = 0; i < n; i++) {
    sumRaw += rawWeights[i]!;
    sumClipped += weights[i]!;
    maxWeight = Math.max(maxWeight, rawWeights[i]!);
    if (weights[i]! < rawWeights[i]!) clippedRows++;
    if (outside[i]! > 0) outsideRows++;
    outsideMass += outside[i]! / n;
  }
  const meanWeight = n > 0 ? sumRaw / n : Number.NaN;
  let varW = 0;
  for (let i = 0; i < n; i++) varW += (rawWeights[i]! - meanWeight) ** 2 / Math.max(1, n - 1);
  const ess = effectiveSampleSize(weights);
  const share = (m: Map<string, number>, scale: number) =>
    Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([a, v]) => [a, v * scale]));
  const diagnostics: OpeDiagnostics = {
    rows: n,
    meanWeight,
    maxWeight,
    clip: clip ?? null,
    clippedRows,
    clippedMass: sumRaw > 0 ? 1 - sumClipped / sumRaw : 0,
    ess,
    essShare: n > 0 ? ess / n : 0,
    lowPropensityRows: lowRows,
    lowPropensityMass: lowMass,
    zeroPropensityMass: zeroMass,
    neverLoggedMass: neverMass,
    outsideRows,
    outsideMass,
    targetActionShare: share(target, 1),
    loggedActionShare: share(logged, 1 / Math.max(1, n)),
  };

  const warnings: string[] = [];
  if (lowMass > 0)
    warnings.push(
      `the target puts ${pct(lowMass)} of its probability (in ${lowRows} rows) on actions the logging policy chose with probability < ${minPropensity}` +
        (zeroMass > 0
          ? `, ${pct(zeroMass)} on actions it could not choose at all (no support: IPS and SNIPS miss that part, DR and DM rely on the reward model)`
          : "") +
        ": expect large weights and wide intervals",
    );
  if (neverMass > 0)
    warnings.push(
      `the target puts ${pct(neverMass)} of its probability on actions never logged in this log: only the reward model (DM, DR) speaks for them`,
    );
  if (outsideMass > 0)
    warnings.push(
      `the target put ${pct(outsideMass)} of its probability (in ${outsideRows} rows) on actions that were not candidates of the logged decision: dropped, the rest renormalised (the estimate is for the target restricted to the logged candidates)`,
    );
  if (n > 0 && (ess < 100 || ess / n < 0.01))
    warnings.push(
      `effective sample size ${ess.toFixed(0)} of ${n} rows (${pct(ess / n)}): the weighted estimates rest on a few rows`,
    );
  const se = Math.sqrt(varW / Math.max(1, n));
  if (n > 0 && Math.abs(meanWeight - 1) > Math.max(0.05, 4 * se))
    warnings.push(
      `mean importance weight ${meanWeight.toFixed(3)} (about 1 expected when the logged propensities are right and the log covers the target): check the propensities`,
    );
  if (clip !== undefined && clippedRows > 0)
    warnings.push(
      `clipping at ${clip} changed ${clippedRows} rows and removed ${pct(diagnostics.clippedMass)} of the total weight: IPS, SNIPS and DR trade bias for variance`,
    );
  return { diagnostics, warnings };
}
