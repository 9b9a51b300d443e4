import type { RerankResult } from '@crossrank/core';
import { RerankerOutputError } from './errors.js';

/**
 * A custom or remote reranker is outside this package's control; check its answer against the
 * `Reranker` contract before it decides which documents reach the LLM.
 */
export function checkResults(results: unknown, documentCount: number, topN: number): asserts results is RerankResult[] {
  if (!Array.isArray(results)) {
    throw new RerankerOutputError(`The reranker returned ${typeof results} instead of an array of { index, score }; it must implement the Reranker contract.`);
  }
  if (results.length > topN) {
    throw new RerankerOutputError(`The reranker returned ${results.length} results although topN was ${topN}; it must honour options.topN.`);
  }
  const seen = new Set<number>();
  let previous = Infinity;
  results.forEach((result: Partial<RerankResult> | null, i) => {
    const index = result?.index;
    const score = result?.score;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= documentCount) {
      throw new RerankerOutputError(`The reranker's result ${i} has index ${String(index)}, which is not a position in the ${documentCount} documents it was given.`);
    }
    if (seen.has(index)) {
      throw new RerankerOutputError(`The reranker returned document ${index} twice; each document may appear once.`);
    }
    seen.add(index);
    if (typeof score !== 'number' || Number.isNaN(score)) {
      throw new RerankerOutputError(`The reranker's result ${i} has score ${String(score)}; scores must be numbers.`);
    }
    if (score > previous) {
      throw new RerankerOutputError(`The reranker's results are not sorted best first (result ${i} scores ${score}, above ${previous}).`);
    }
    previous = score;
  });
}
