/**
 * Exploration limits as a mixing with the greedy choice. Given the explorer's P(first) π and the
 * greedy arm g, every other arm a keeps q_a = min(π_a, cap_a) (cap 0 when its exploration is
 * disabled), a group's non-greedy arms are scaled down together to the group's limit, and g takes
 * everything removed. Sampling stays exact: draw j ~ π; if j ≠ g keep it with probability q_j/π_j,
 * otherwise put g first. Then P(first = a) = π_a · q_a/π_a = q_a for a ≠ g, and g gets the rest.
 */

export interface LimitInput {
  readonly k: number;
  readonly greedy: number;
  /** π before limits. */
  readonly probabilities: Float64Array;
  /** Per-arm cap on P(first) when not greedy (1 = none). */
  readonly caps: Float64Array;
  /** Group of each arm (undefined: none); only read when `groupLimits` is given. */
  readonly groups?: readonly (string | undefined)[];
  readonly groupLimits?: Readonly<Record<string, number>>;
}

/** Writes the limited distribution q into `out` (first k entries); it sums to 1. */
export function limitExploration(input: LimitInput, out: Float64Array): void {
  const { k, greedy, probabilities, caps, groups, groupLimits } = input;
  for (let a = 0; a < k; a++) {
    const p = probabilities[a]!;
    const cap = caps[a]!;
    out[a] = a === greedy ? 0 : p < cap ? p : cap;
  }
  if (groupLimits && groups) {
    const totals = new Map<string, number>();
    for (let a = 0; a < k; a++) {
      const g = groups[a];
      if (a !== greedy && g !== undefined && groupLimits[g] !== undefined)
        totals.set(g, (totals.get(g) ?? 0) + out[a]!);
    }
    for (const [g, total] of totals) {
      const limit = Math.max(0, groupLimits[g]!);
      if (total <= limit) continue;
      const scale = limit / total;
      for (let a = 0; a < k; a++) if (a !== greedy && groups[a] === g) out[a] = out[a]! * scale;
    }
  }
  let rest = 1;
  for (let a = 0; a < k; a++) if (a !== greedy) rest -= out[a]!;
  out[greedy] = rest > 0 ? rest : 0;
}
