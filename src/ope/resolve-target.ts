/**
 * Turns any `Target` into π(·|x_i) over each logged row's candidates. Probabilities on actions that
 * were not candidates of the row are support the log cannot see: they are dropped and the rest
 * renormalised, and the dropped mass is reported.
 */
import { replayBandit } from "./bandit-replay.js";
import type { LoggedDecision, RowIssue } from "./logged-decision.js";
import type { Target, TargetDistributions } from "./target.js";

function fromRecords(
  rows: readonly LoggedDecision[],
  lookup: (
    row: LoggedDecision,
    i: number,
  ) => Readonly<Record<string, number>> | ArrayLike<number> | undefined,
): { probabilities: (Float64Array | undefined)[]; outside: Float64Array; unevaluated: RowIssue[] } {
  const probabilities: (Float64Array | undefined)[] = [];
  const outside = new Float64Array(rows.length);
  const unevaluated: RowIssue[] = [];
  rows.forEach((row, i) => {
    const given = lookup(row, i);
    if (given === undefined) {
      probabilities.push(undefined);
      unevaluated.push({ line: row.line, reason: `no target probabilities for ${row.id}` });
      return;
    }
    const pi = new Float64Array(row.candidates.length);
    let total = 0;
    let inside = 0;
    if (isArrayLike(given)) {
      for (let k = 0; k < pi.length; k++) {
        const p = Math.max(0, given[k] ?? 0);
        pi[k] = p;
        inside += p;
      }
      total = inside;
    } else {
      const position = new Map(row.candidates.map((a, k) => [a, k]));
      for (const [a, p] of Object.entries(given)) {
        total += p;
        const k = position.get(a);
        if (k === undefined) continue;
        pi[k] = p;
        inside += p;
      }
    }
    // An infinite or NaN entry would normalise every probability of the row to NaN.
    if (!Number.isFinite(total) || !Number.isFinite(inside)) {
      probabilities.push(undefined);
      outside[i] = 1;
      unevaluated.push({
        line: row.line,
        reason: "the target gives a probability that is not a finite number",
      });
      return;
    }
    if (!(inside > 0)) {
      probabilities.push(undefined);
      outside[i] = 1;
      unevaluated.push({ line: row.line, reason: "the target puts no probability on any logged candidate" });
      return;
    }
    outside[i] = total > 0 ? 1 - inside / total : 0;
    for (let k = 0; k < pi.length; k++) pi[k] = pi[k]! / inside;
    probabilities.push(pi);
  });
  return { probabilities, outside, unevaluated };
}

function isArrayLike(v: object): v is ArrayLike<number> {
  return ArrayBuffer.isView(v) || Array.isArray(v);
}

export function resolveTarget(
  rows: readonly LoggedDecision[],
  target: Target,
  seed: number,
): TargetDistributions {
  switch (target.kind) {
    case "probabilities": {
      const t = target.probabilities;
      const resolved = fromRecords(rows, (row) => t.byId.get(row.id) ?? t.byLine.get(row.line));
      const warnings: string[] = [];
      if (t.malformed.length > 0)
        warnings.push(`${t.malformed.length} malformed line(s) in the target probabilities were skipped`);
      if (t.normalised > 0)
        warnings.push(`${t.normalised} target distribution(s) did not sum to 1 and were normalised`);
      return {
        ...resolved,
        description: t.source
          ? `target probabilities from ${t.source}`
          : "target probabilities given in code",
        notes: [],
        warnings,
      };
    }
    case "function": {
      const resolved = fromRecords(rows, target.distribution);
      return { ...resolved, description: target.name, notes: [], warnings: [] };
    }
    case "bandit":
    case "policy":
    case "model":
      return replayBandit(rows, target, seed);
  }
}
