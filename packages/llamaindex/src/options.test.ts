import { InvalidInputError, type Reranker } from '@crossrank/core';
import { DEFAULT_TOP_N, resolveOptions, type CrossEncoderRerankOptions } from './options.js';

const reranker: Reranker = { rerank: async () => [] };

describe('resolveOptions', () => {
  it('fills the documented defaults', () => {
    expect(resolveOptions({ reranker })).toEqual({
      topN: DEFAULT_TOP_N,
      scoreThreshold: undefined,
      metadataMode: 'EMBED',
      keepRetrievalScore: false,
    });
    expect(DEFAULT_TOP_N).toBe(3);
  });

  it('keeps what the caller set', () => {
    const resolved = resolveOptions({ model: 'some/model', topN: 5, scoreThreshold: 0.2, metadataMode: 'NONE' as never, keepRetrievalScore: true });
    expect(resolved).toEqual({ topN: 5, scoreThreshold: 0.2, metadataMode: 'NONE', keepRetrievalScore: true });
  });

  it.each<[string, unknown, RegExp]>([
    ['neither model nor reranker', {}, /exactly one of `model`/],
    ['both model and reranker', { model: 'm', reranker }, /exactly one of `model`/],
    ['a blank model', { model: ' ' }, /options\.model/],
    ['modelOptions with a reranker', { reranker, modelOptions: {} }, /modelOptions/],
    ['a reranker without rerank()', { reranker: {} }, /options\.reranker/],
    ['a negative topN', { reranker, topN: -1 }, /options\.topN must be a non-negative integer \(0 keeps none\), got number -1/],
    ['a string topN (issue 12, item 9)', { reranker, topN: '2' }, /options\.topN must be a non-negative integer \(0 keeps none\), got "2"/],
    ['a misspelt option', { reranker, metadataMod: 'NONE' }, /CrossEncoderRerank options has an unknown option "metadataMod"\. Did you mean "metadataMode"\?/],
    ['a NaN threshold (issue 12, item 9)', { reranker, scoreThreshold: NaN }, /options\.scoreThreshold must be a finite number/],
    ['an infinite threshold (issue 12, item 9)', { reranker, scoreThreshold: -Infinity }, /options\.scoreThreshold must be a finite number/],
    ['a fractional topN', { reranker, topN: 2.5 }, /options\.topN/],
    ['a NaN threshold', { reranker, scoreThreshold: Number.NaN }, /options\.scoreThreshold/],
    ['an unknown metadataMode', { reranker, metadataMode: 'embed' }, /options\.metadataMode .* got "embed"/],
    ['a string keepRetrievalScore', { reranker, keepRetrievalScore: 'yes' }, /options\.keepRetrievalScore/],
    ['no options at all', undefined, /needs an options object/],
  ])('rejects %s with InvalidInputError', (_name, options, message) => {
    const call = () => resolveOptions(options as CrossEncoderRerankOptions);
    expect(call).toThrow(InvalidInputError);
    expect(call).toThrow(message);
  });
});
