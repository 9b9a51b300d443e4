import { rankScores, validateRerankArgs, type Reranker, type RerankOptions, type RerankResult } from '@crossrank/core';

/** The share of the query's words found in the text: a transparent score to test the adapter against. */
export function overlapScore(query: string, text: string): number {
  const queryWords = new Set(words(query));
  if (queryWords.size === 0) return 0;
  const textWords = new Set(words(text));
  let hits = 0;
  for (const word of queryWords) if (textWords.has(word)) hits++;
  return hits / queryWords.size;
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

export interface RerankCall {
  query: string;
  documents: readonly string[];
  options: RerankOptions | undefined;
}

/** A model-free `Reranker` that honours the contract (via core's own `rankScores`) and records its calls. */
export class OverlapReranker implements Reranker {
  readonly calls: RerankCall[] = [];

  async rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> {
    this.calls.push({ query, documents: [...documents], options });
    validateRerankArgs(query, documents, options);
    return rankScores(documents.map((doc) => overlapScore(query, doc)), options);
  }
}
