import { InvalidArgumentError } from '@ai-sdk/provider';
import { FallbackReranker, UnknownOptionError } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { rerank } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrossrank, crossrank } from './index.js';
import { PASSAGES, QUERY, testModelDir } from './test-support/test-model.js';

// Issue 22: unknown keys are rejected everywhere with the closest valid key; topN 0 keeps nothing
// (the contract's rule); numbers and mixed lists are rejected in the AI SDK's own terms.
let dir: string;
let encoder: CrossEncoder;

beforeAll(async () => {
  dir = await testModelDir();
  encoder = await CrossEncoder.load(dir, { workers: 0 });
});
afterAll(async () => {
  await encoder?.dispose();
});

async function rejection(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(() => undefined, (error: unknown) => error);
}

describe('unknown option keys', () => {
  it('createCrossrank settings and fromReranker options throw UnknownOptionError with a suggestion', () => {
    expect(() => createCrossrank({ loadOption: {} } as never)).toThrow(UnknownOptionError);
    expect(() => createCrossrank({ loadOption: {} } as never)).toThrow(/createCrossrank settings has an unknown option "loadOption"\. Did you mean "loadOptions"\?/);
    expect(() => crossrank.fromReranker(encoder, { modelID: 'x' } as never)).toThrow(/crossrank\.fromReranker options has an unknown option "modelID"\. Did you mean "modelId"\?/);
  });

  it('providerOptions.crossrank names the closest key (InvalidArgumentError, as ai users expect)', async () => {
    const model = crossrank.fromReranker(encoder);
    const error = await rejection(() => rerank({ model, query: QUERY, documents: PASSAGES, providerOptions: { crossrank: { scoreTreshold: 0.5 } } }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/providerOptions\.crossrank has an unknown option "scoreTreshold"\. Did you mean "scoreThreshold"\?/);
  });

  it('a misspelt load option fails the first rerank() instead of loading fp32', async () => {
    const model = crossrank.rerankingModel(dir, { dytpe: 'q8' } as never);
    const error = await rejection(() => rerank({ model, query: QUERY, documents: PASSAGES }));
    expect(String((error as Error).message)).toMatch(/CrossEncoder\.load options has an unknown option "dytpe"\. Did you mean "dtype"\?/);
    await model.dispose();
  });
});

it('topN: 0 returns an empty ranking, as CrossEncoder, the API backends and the adapters do', async () => {
  const model = crossrank.fromReranker(new FallbackReranker([encoder]));
  const result = await rerank({ model, query: QUERY, documents: PASSAGES, topN: 0 });
  expect(result.ranking).toEqual([]);
  expect(result.rerankedDocuments).toEqual([]);
});

describe('documents that are neither all strings nor all objects', () => {
  const model = () => crossrank.fromReranker(encoder);

  it('numbers are rejected (they used to be scored as the JSON text "1", "2", "3")', async () => {
    const error = await rejection(() => rerank({ model: model(), query: QUERY, documents: [1, 2, 3] as never }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/documents\[0\] must be a string or a JSON object, got number 1\. Pass the text to score \(e\.g\. String\(1\)\)\./);
  });

  it('a mixed list is rejected in the AI SDK\'s terms, not LangChain\'s', async () => {
    const error = await rejection(() => rerank({ model: model(), query: QUERY, documents: ['a', { text: 'b' }] as never }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/documents\[1\] is an object but documents\[0\] is a string: rerank\(\) takes all strings or all JSON objects/);
    expect(message).not.toMatch(/pageContent/);
  });
});
