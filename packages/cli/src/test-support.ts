// Shared by this package's tests only (no entry point imports it, so it never reaches dist/).
import { join } from 'node:path';
import type { Reranker, RerankResult } from '@crossrank/core';
import type { CandidateQuery, Qrels } from './types.js';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const fixture = (name: string) => join(FIXTURES, name);

/** Sorts like the contract demands: score descending, ties by input index. */
export function rank(scores: readonly number[]): RerankResult[] {
  return scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score || a.index - b.index);
}

/**
 * A reranker that knows the judgments: it scores each text by its document's grade (unjudged = 0),
 * so it orders every query ideally. It records the calls it gets.
 */
export class OracleReranker implements Reranker {
  readonly calls: Array<{ query: string; documents: string[] }> = [];
  private readonly gradeOfText = new Map<string, number>();

  constructor(queries: readonly CandidateQuery[], qrels: Qrels) {
    for (const query of queries) {
      for (const candidate of query.candidates) {
        this.gradeOfText.set(candidate.text, qrels.get(query.qid)?.get(candidate.docid) ?? 0);
      }
    }
  }

  async rerank(query: string, documents: readonly string[]): Promise<RerankResult[]> {
    this.calls.push({ query, documents: [...documents] });
    return rank(documents.map((text) => (this.gradeOfText.get(text) ?? 0) / 3));
  }
}
