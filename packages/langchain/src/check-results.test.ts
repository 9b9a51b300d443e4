import { CrossrankError, type RerankResult } from '@crossrank/core';
import { Document } from '@langchain/core/documents';
import { CrossEncoderReranker } from './cross-encoder-reranker.js';
import { RerankerOutputError } from './errors.js';

const docs = ['a', 'b', 'c', 'd'].map((text) => new Document({ pageContent: text, metadata: {} }));

function answering(results: unknown): CrossEncoderReranker {
  return new CrossEncoderReranker({ reranker: { rerank: async () => results as RerankResult[] }, topN: 3 });
}

describe('checking what a reranker returns', () => {
  it.each([
    ['not an array', { index: 0, score: 1 }, /instead of an array/],
    ['more results than topN', [0, 1, 2, 3].map((index) => ({ index, score: 1 - index / 10 })), /returned 4 results although topN was 3/],
    ['an index past the documents', [{ index: 4, score: 0.9 }], /index 4, which is not a position in the 4 documents/],
    ['a negative index', [{ index: -1, score: 0.9 }], /index -1/],
    ['a repeated index', [{ index: 1, score: 0.9 }, { index: 1, score: 0.8 }], /returned document 1 twice/],
    ['a score that is not a number', [{ index: 0, score: 'high' }], /has score high/],
    ['results that are not sorted best first', [{ index: 0, score: 0.2 }, { index: 1, score: 0.9 }], /not sorted best first/],
  ])('rejects %s with RerankerOutputError', async (_label, results, message) => {
    const failure = answering(results).compressDocuments(docs, 'q');
    await expect(failure).rejects.toThrow(RerankerOutputError);
    await expect(answering(results).compressDocuments(docs, 'q')).rejects.toThrow(message);
    await expect(answering(results).rerank(docs, 'q')).rejects.toThrow(CrossrankError);
  });

  it('accepts equal scores and fewer results than topN', async () => {
    const kept = await answering([{ index: 2, score: 0.5 }, { index: 0, score: 0.5 }]).compressDocuments(docs, 'q');
    expect(kept.map((d) => d.pageContent)).toEqual(['c', 'a']);
  });
});
