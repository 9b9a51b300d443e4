/** Indexes of the `topN` best scores, best first; ties by position (the `Reranker` contract's order). */
export function topIndexes(scores: ArrayLike<number>, topN: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, topN);
}

/** Whether two index lists hold the same members, in any order. */
export function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
