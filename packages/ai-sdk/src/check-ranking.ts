import { InvalidResponseDataError, type RerankingModelV4Result } from '@ai-sdk/provider';
import type { RerankResult } from '@crossrank/core';

/**
 * Turns a reranker's results into the spec's `ranking` after checking them: crossrank's own rerankers
 * keep the contract, but `fromReranker` takes any object with a `rerank` method. Nothing is mutated.
 */
export function toRanking(results: unknown, documentCount: number, topN: number | undefined): RerankingModelV4Result['ranking'] {
  if (!Array.isArray(results)) throw bad(`it returned ${results === null ? 'null' : typeof results} instead of an array of { index, score }`, results);
  if (topN !== undefined && results.length > topN) throw bad(`it returned ${results.length} results for topN ${topN}`, results);
  const seen = new Set<number>();
  const ranking = results.map((result: unknown, i) => {
    const { index, score } = (result ?? {}) as Partial<RerankResult>;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= documentCount) {
      throw bad(`results[${i}].index is ${String(index)}, not an index into the ${documentCount} documents`, results);
    }
    if (seen.has(index)) throw bad(`results[${i}] repeats index ${index}`, results);
    seen.add(index);
    // Scores follow the reranker's scale: [0, 1] for API backends and sigmoid models, raw logits for
    // local models whose config declares an identity activation (as sentence-transformers scores them).
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw bad(`results[${i}].score is ${String(score)}, not a finite number`, results);
    }
    return { index, relevanceScore: score };
  });
  // The contract's order: score descending, ties by input order.
  return ranking.sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index);
}

function bad(what: string, data: unknown): InvalidResponseDataError {
  return new InvalidResponseDataError({ data, message: `The reranker broke the Reranker contract: ${what}.` });
}
