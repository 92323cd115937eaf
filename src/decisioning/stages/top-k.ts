/**
 * Stage: the top k of a ranking. Walks the bandit's order and keeps an action when `admit` accepts
 * it given what is already kept (the policy's diversity rule, contact caps counting earlier picks).
 * Pure: returns the indexes kept, in order.
 */
export function topK(
  order: readonly number[],
  limit: number,
  admit: (i: number, kept: readonly number[]) => boolean = () => true,
): number[] {
  const kept: number[] = [];
  for (const i of order) {
    if (kept.length >= limit) break;
    if (admit(i, kept)) kept.push(i);
  }
  return kept;
}

/** The diversity rule: at most `max` actions of one business unit in one response. */
export function maxPerGroup(
  groupOf: (i: number) => string,
  max: number | undefined,
): (i: number, kept: readonly number[]) => boolean {
  if (max === undefined) return () => true;
  return (i, kept) => {
    const group = groupOf(i);
    let n = 0;
    for (const k of kept) if (groupOf(k) === group) n++;
    return n < max;
  };
}
