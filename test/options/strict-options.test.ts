import { CohereReranker, JinaReranker, MixedbreadReranker, TeiReranker, VoyageReranker } from '@crossrank/api';
import { FallbackReranker, UnknownOptionError, type Reranker } from '@crossrank/core';
import { CrossEncoderReranker } from '@crossrank/langchain';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { Document } from '@langchain/core/documents';
import { TextNode } from 'llamaindex';
import { useTeiServer } from '../support/tei-server';

// One rule for options objects, everywhere crossrank takes them: an unknown key is an
// UnknownOptionError naming the closest valid key (before, `CrossEncoder.load(dir, { dytpe: 'q8' })`
// silently loaded fp32). And one rule for `topN: 0`: it keeps nothing, `[]`, everywhere (before,
// CrossEncoder returned [] and the LangChain adapter threw).
let dir: string;
let encoder: CrossEncoder;
const tei = useTeiServer();

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('strict-options-tiny') }));
  encoder = await CrossEncoder.load(dir, { workers: 0 });
});
afterAll(async () => {
  await encoder?.dispose();
});

function thrown(call: () => unknown): unknown {
  try {
    const result = call();
    return result instanceof Promise ? result.then(() => undefined, (e: unknown) => e) : undefined;
  } catch (error) {
    return error;
  }
}

async function expectUnknown(call: () => unknown, where: string, option: string, suggestion: string | undefined): Promise<void> {
  const error = await thrown(call);
  expect(error).toBeInstanceOf(UnknownOptionError);
  expect(error).toMatchObject({ option, suggestion, code: 'CROSSRANK_UNKNOWN_OPTION' });
  expect((error as Error).message).toContain(`${where} has an unknown option "${option}".`);
  if (suggestion) expect((error as Error).message).toContain(`Did you mean "${suggestion}"?`);
}

describe('unknown option keys are rejected, naming the closest valid key', () => {
  it('CrossEncoder.load({ dytpe }) fails before loading anything', async () => {
    await expectUnknown(() => CrossEncoder.load('/nonexistent-folder', { dytpe: 'q8' } as never), 'CrossEncoder.load options', 'dytpe', 'dtype');
    await expectUnknown(() => CrossEncoder.load(dir, { worker: 0 } as never), 'CrossEncoder.load options', 'worker', 'workers');
  });

  it('CrossEncoder.rerank and predict', async () => {
    await expectUnknown(() => encoder.rerank('q', ['a'], { topn: 1 } as never), 'rerank options', 'topn', 'topN');
    await expectUnknown(() => encoder.predict([['q', 'a']], { signl: undefined } as never), 'predict options', 'signl', 'signal');
  });

  it.each<[string, () => unknown, string, string]>([
    ['CohereReranker', () => new CohereReranker({ apiKey: 'k', maxRetry: 1 } as never), 'maxRetry', 'maxRetries'],
    ['JinaReranker', () => new JinaReranker({ apiKey: 'k', modle: 'x' } as never), 'modle', 'model'],
    ['VoyageReranker', () => new VoyageReranker({ apiKey: 'k', truncate: true } as never), 'truncate', 'truncation'],
    ['MixedbreadReranker', () => new MixedbreadReranker({ apiKey: 'k', baseURL: 'http://x' } as never), 'baseURL', 'baseUrl'],
    ['TeiReranker', () => new TeiReranker({ baseUrl: 'http://x', rawScore: true } as never), 'rawScore', 'rawScores'],
  ])('%s constructor', async (className, make, option, suggestion) => {
    await expectUnknown(make, `${className}: options`, option, suggestion);
  });

  it('an API backend and FallbackReranker per call, and FallbackReranker options', async () => {
    const api = new TeiReranker({ baseUrl: tei().url });
    await expectUnknown(() => api.rerank('q', ['a'], { scoreTreshold: 0.5 } as never), 'rerank options', 'scoreTreshold', 'scoreThreshold');
    await expectUnknown(() => new FallbackReranker([api]).rerank('q', ['a'], { top_n: 1 } as never), 'rerank options', 'top_n', 'topN');
    await expectUnknown(() => new FallbackReranker([api], { onFalback: () => undefined } as never), 'FallbackReranker options', 'onFalback', 'onFallback');
    expect(tei().requests).toEqual([]);
  });

  it('adapters: constructor fields, and modelOptions at load', async () => {
    await expectUnknown(() => new CrossEncoderReranker({ reranker: encoder, topk: 2 } as never), 'CrossEncoderReranker options', 'topk', 'topN');
    await expectUnknown(() => new CrossEncoderRerank({ reranker: encoder, keepRetrievalScores: true } as never), 'CrossEncoderRerank options', 'keepRetrievalScores', 'keepRetrievalScore');
    const lazy = new CrossEncoderReranker({ model: dir, modelOptions: { dytpe: 'q8' } as never });
    await expectUnknown(() => lazy.compressDocuments([new Document({ pageContent: 'a' })], 'q'), 'CrossEncoder.load options', 'dytpe', 'dtype');
  });

  it('createTestCrossEncoder', async () => {
    await expectUnknown(() => createTestCrossEncoder({ dir: defaultTestModelDir('never-made'), layer: 1 } as never), 'createTestCrossEncoder options', 'layer', 'layers');
  });
});

describe('topN: 0 keeps nothing, everywhere', () => {
  const docs = ['containers on a bridge network', 'bread', 'an overlay network'];

  it('CrossEncoder, an API backend (no request) and FallbackReranker return []', async () => {
    expect(await encoder.rerank('network', docs, { topN: 0 })).toEqual([]);
    const api = new TeiReranker({ baseUrl: tei().url });
    expect(await api.rerank('network', docs, { topN: 0 })).toEqual([]);
    expect(await new FallbackReranker([api]).rerank('network', docs, { topN: 0 })).toEqual([]);
    expect(tei().requests).toEqual([]);
  });

  it('LangChain: topN 0 in the constructor or per call gives []; the reranker is not called', async () => {
    const calls: unknown[] = [];
    const spy: Reranker = { rerank: async (...args) => (calls.push(args), encoder.rerank(...args)) };
    const none = new CrossEncoderReranker({ reranker: spy, topN: 0 });
    expect(await none.compressDocuments(docs.map((pageContent) => new Document({ pageContent })), 'network')).toEqual([]);
    expect(await new CrossEncoderReranker({ reranker: spy }).rerank(docs, 'network', { topN: 0 })).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('LlamaIndex: topN 0 gives []', async () => {
    const rerank = new CrossEncoderRerank({ reranker: encoder, topN: 0 });
    expect(await rerank.postprocessNodes(docs.map((text) => ({ node: new TextNode({ text }), score: 0 })), 'network')).toEqual([]);
  });
});
