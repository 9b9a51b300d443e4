import { InvalidArgumentError } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { parseCrossrankProviderOptions } from './crossrank-reranking-model-options.js';

function rejection(providerOptions: unknown): unknown {
  try {
    parseCrossrankProviderOptions(providerOptions as never);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseCrossrankProviderOptions', () => {
  it('reads fields and scoreThreshold, ignores other providers, copies the fields array', () => {
    const fields = ['title', 'content'];
    const parsed = parseCrossrankProviderOptions({ crossrank: { fields, scoreThreshold: 0.2 }, cohere: { priority: 1 } });
    expect(parsed).toEqual({ fields, scoreThreshold: 0.2 });
    expect(parsed.fields).not.toBe(fields);
    expect(parseCrossrankProviderOptions(undefined)).toEqual({});
    expect(parseCrossrankProviderOptions({ openai: {} })).toEqual({});
    expect(parseCrossrankProviderOptions({ crossrank: { instruction: 'Find the passage that answers the question' } })).toEqual({ instruction: 'Find the passage that answers the question' });
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', { crossrank: 'title' }, /must be an object like/],
    ['an array', { crossrank: ['title'] }, /must be an object like/],
    ['an unknown key', { crossrank: { field: ['title'] } }, /unknown option "field"\. Did you mean "fields"\? Known options: fields, scoreThreshold, instruction\./],
    ['empty fields', { crossrank: { fields: [] } }, /fields must be a non-empty array/],
    ['a string for fields', { crossrank: { fields: 'title' } }, /fields must be a non-empty array.*got "title"/],
    ['an empty name', { crossrank: { fields: ['title', ''] } }, /fields\[1\] must be a non-empty field name/],
    ['a number as name', { crossrank: { fields: [3] } }, /fields\[0\] must be a non-empty field name.*got number 3/],
    ['a duplicate', { crossrank: { fields: ['a', 'a'] } }, /names "a" twice/],
    ['a NaN threshold', { crossrank: { scoreThreshold: Number.NaN } }, /scoreThreshold must be a finite number/],
    ['a string threshold', { crossrank: { scoreThreshold: '0.5' } }, /scoreThreshold must be a finite number/],
    ['a number as instruction', { crossrank: { instruction: 3 } }, /instruction must be a string \(the task instruction of a causal-LM reranker\), got number 3/],
  ];
  it.each(bad)('%s -> InvalidArgumentError(providerOptions) saying what to pass', (_, options, message) => {
    const error = rejection(options);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'providerOptions' });
    expect((error as Error).message).toMatch(message);
  });
});
