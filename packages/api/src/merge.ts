import type { RerankOptions, RerankResult } from '@crossrank/core';

/**
 * How many results to ask one batch for. With `topN` set, each batch only needs its own top N: a
 * document in the overall top N is necessarily in the top N of its batch. The threshold does not
 * change this, because cutting by score and then taking the best N keeps the same documents as
 * taking the best N and then cutting. Without `topN`, every score is needed.
 */
export function batchTopN(topN: number | undefined, batchLength: number): number {
  return topN === undefined ? batchLength : Math.min(topN, batchLength);
}

/**
 * The contract's ranking over results that may cover only part of the documents (when the server
 * applied `top_n`): threshold first, then score descending with ties by index, then `topN`.
 */
export function rankResults(results: readonly RerankResult[], options: RerankOptions = {}): RerankResult[] {
  const { topN, scoreThreshold } = options;
  const kept = scoreThreshold === undefined ? [...results] : results.filter((r) => r.score >= scoreThreshold);
  kept.sort((a, b) => b.score - a.score || a.index - b.index);
  return topN === undefined ? kept : kept.slice(0, topN);
}
