import type { RerankResult } from '@crossrank/core';
import { InvalidRerankResultError } from './errors.js';
import type { Candidate } from './types.js';

/**
 * First-stage order: by the run's rank; equal ranks by score descending, then by input order.
 * (trec_eval would re-sort by score and break ties by docid; we trust the run's ranks because the
 * reranker is given exactly this order and compared against it.)
 */
export function firstStageOrder(candidates: readonly Candidate[]): Candidate[] {
  return candidates
    .map((candidate, position) => ({ candidate, position }))
    .sort((a, b) => a.candidate.rank - b.candidate.rank || b.candidate.score - a.candidate.score || a.position - b.position)
    .map(({ candidate }) => candidate);
}

/**
 * The order after reranking the first `reranked.length` candidates: by rerank score descending,
 * equal scores by first-stage position; documents a backend left out of its results follow in
 * first-stage order; everything past the rerank depth keeps its first-stage order after them.
 */
export function rerankedOrder<T>(ordered: readonly T[], depth: number, results: readonly RerankResult[]): T[] {
  const head = Math.min(depth, ordered.length);
  const scored = new Map<number, number>();
  for (const { index, score } of results) {
    if (!Number.isInteger(index) || index < 0 || index >= head || scored.has(index)) {
      throw new InvalidRerankResultError(
        `The reranker returned index ${String(index)} for ${head} documents (out of range or repeated); check the backend.`,
      );
    }
    if (typeof score !== 'number' || Number.isNaN(score)) {
      throw new InvalidRerankResultError(`The reranker returned score ${String(score)} for index ${index}; scores must be numbers.`);
    }
    scored.set(index, score);
  }
  const indices = Array.from({ length: head }, (_, i) => i);
  indices.sort((a, b) => {
    const sa = scored.get(a);
    const sb = scored.get(b);
    if (sa !== undefined && sb !== undefined) return sb - sa || a - b;
    if (sa !== undefined) return -1;
    if (sb !== undefined) return 1;
    return a - b;
  });
  return [...indices.map((i) => ordered[i]!), ...ordered.slice(head)];
}
