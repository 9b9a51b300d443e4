import type { RerankResult } from '@crossrank/core';

/**
 * One line per result, best first: `1. [0.9731] #2 text`. `#n` is the passage's 1-based position
 * in the input, so you can see how far the reranker moved it.
 */
export function rankingLines(results: readonly RerankResult[], passages: readonly string[]): string[] {
  return results.map(({ index, score }, rank) => `${rank + 1}. [${score.toFixed(4)}] #${index + 1} ${passages[index]}`);
}
