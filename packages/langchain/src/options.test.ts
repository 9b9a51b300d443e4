import { CrossrankError, InvalidInputError, type Reranker } from '@crossrank/core';
import { CrossEncoderReranker } from './cross-encoder-reranker.js';
import type { CrossEncoderRerankerFields } from './options.js';

const reranker: Reranker = { rerank: async () => [] };

function construct(fields: unknown): () => CrossEncoderReranker {
  return () => new CrossEncoderReranker(fields as CrossEncoderRerankerFields);
}

describe('CrossEncoderReranker options', () => {
  it('defaults to topN 3, no threshold and the relevanceScore key', () => {
    const compressor = new CrossEncoderReranker({ model: 'Xenova/ms-marco-MiniLM-L-6-v2' });
    expect(compressor.topN).toBe(3);
    expect(compressor.scoreThreshold).toBeUndefined();
    expect(compressor.scoreKey).toBe('relevanceScore');
    expect(compressor.model).toBe('Xenova/ms-marco-MiniLM-L-6-v2');
  });

  it.each([
    ['no options', undefined, /needs an options object/],
    ['neither model nor reranker', { topN: 3 }, /needs `model`.*or `reranker`/],
    ['both model and reranker', { model: 'm', reranker }, /either `model` or `reranker`, not both/],
    ['an empty model', { model: '  ' }, /model must be a non-empty string/],
    ['a model that is not a string', { model: 7 }, /model must be a non-empty string.*number 7/],
    ['a reranker without rerank()', { reranker: {} }, /reranker must implement Reranker/],
    ['modelOptions with a reranker', { reranker, modelOptions: { dtype: 'q8' } }, /modelOptions only applies with `model`/],
    ['modelOptions that are not an object', { model: 'm', modelOptions: 'q8' }, /modelOptions must be an object/],
    ['a negative topN', { reranker, topN: -1 }, /topN must be a non-negative integer.*number -1/],
    ['a fractional topN', { reranker, topN: 2.5 }, /topN must be a non-negative integer/],
    ['a misspelt option', { reranker, topn: 2 }, /CrossEncoderReranker options has an unknown option "topn"\. Did you mean "topN"\?/],
    ['a misspelt scoreThreshold', { reranker, scoreTreshold: 0.5 }, /unknown option "scoreTreshold"\. Did you mean "scoreThreshold"\?/],
    ['a NaN scoreThreshold', { reranker, scoreThreshold: Number.NaN }, /scoreThreshold must be a finite number/],
    ['a string scoreThreshold', { reranker, scoreThreshold: '0.5' }, /scoreThreshold must be a finite number/],
    ['a NaN scoreThreshold (issue 12, item 9)', { reranker, scoreThreshold: NaN }, /scoreThreshold must be a finite number.*got number NaN/],
    ['an infinite scoreThreshold (issue 12, item 9)', { reranker, scoreThreshold: Infinity }, /scoreThreshold must be a finite number/],
    ['an empty scoreKey', { reranker, scoreKey: '' }, /scoreKey must be a non-empty string/],
  ])('rejects %s with InvalidInputError', (_label, fields, message) => {
    expect(construct(fields)).toThrow(InvalidInputError);
    expect(construct(fields)).toThrow(CrossrankError);
    expect(construct(fields)).toThrow(message);
  });
});
