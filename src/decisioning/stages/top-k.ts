/**
 * Stage: the top k of a ranking, with the policy's diversity rule (at most n actions of one business
 * unit per response). Pure: takes the order the bandit produced, returns the indexes kept.
 */
export function topK(
  order: readonly number[],
  businessUnitOf: (i: number) => string,
  limit: number,
  maxPerBusinessUnit?: number,
): number[] {
  const kept: number[] = [];
  const perUnit = new Map<string, number>();
  for (const i of order) {
    if (kept.length >= limit) break;
    const unit = businessUnitOf(i);
    const n = perUnit.get(unit) ?? 0;
    if (maxPerBusinessUnit !== undefined && n >= maxPerBusinessUnit) continue;
    perUnit.set(unit, n + 1);
    kept.push(i);
  }
  return kept;
}
