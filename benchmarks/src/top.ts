/** Indexes of the `topN` best scores, best first; ties by position (the `Reranker` contract's order). */
export function topIndexes(scores: ArrayLike<number>, topN: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, topN);
}
