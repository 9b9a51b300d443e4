// LlamaCppReranker against a fake llama-server (test-fakes.ts): raw scores mapped by the sigmoid,
// llama.cpp's own routes, limits and error bodies. The shared fault suite is in protocols.test.ts.
import { InvalidInputError, rankScores, sigmoid } from '@crossrank/core';
import { ProviderHttpError } from './errors.js';
import { LlamaCppReranker } from './llama-cpp.js';
import { startLlamaServer } from './test-fakes.js';
import { makeDocuments } from './test-protocols.js';
import { closeAllServers } from './test-server.js';

afterEach(closeAllServers);
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
// What llama-server sends: the model head's outputs (logits), not probabilities.
const LOGITS = [5.834, -2.1, -3.05, 0, 12.5, -40];

test('maps unbounded raw scores into [0, 1] with the sigmoid, keeping their order', async () => {
  const server = await startLlamaServer();
  const results = await new LlamaCppReranker({ baseUrl: server.baseUrl }).rerank('Machine learning is', makeDocuments(LOGITS));
  expect(results).toEqual(rankScores(LOGITS.map(sigmoid)));
  expect(results.map((r) => r.index)).toEqual([4, 0, 3, 1, 2, 5]);
  expect(results.find((r) => r.index === 3)!.score).toBe(0.5);
  expect(results.every((r) => r.score > 0 && r.score < 1)).toBe(true);
  expect(server.requests[0]!.body).toEqual({ query: 'Machine learning is', documents: makeDocuments(LOGITS), top_n: 6 });
});

test('asks for top_n and takes the sorted, cut list by index; threshold applies to the mapped score', async () => {
  const server = await startLlamaServer();
  const reranker = new LlamaCppReranker({ baseUrl: server.baseUrl, model: 'bge-reranker-v2-m3' });
  const results = await reranker.rerank('q', makeDocuments(LOGITS), { topN: 2, scoreThreshold: 0.99 });
  expect(results).toEqual(rankScores(LOGITS.map(sigmoid), { topN: 2, scoreThreshold: 0.99 }));
  expect(results.map((r) => r.index)).toEqual([4, 0]);
  expect(server.requests[0]!.body).toMatchObject({ model: 'bge-reranker-v2-m3', top_n: 2 });
});

test('batches long lists (default 128 per request) into one ranking', async () => {
  const server = await startLlamaServer();
  const logits = Array.from({ length: 300 }, (_, i) => ((i * 37) % 300) / 10 - 15);
  const results = await new LlamaCppReranker({ baseUrl: server.baseUrl }).rerank('q', makeDocuments(logits), { topN: 5 });
  expect(results).toEqual(rankScores(logits.map(sigmoid), { topN: 5 }));
  expect(server.requests.map((r) => r.body.documents.length).sort((a: number, b: number) => a - b)).toEqual([44, 128, 128]);
});

test('retries "Loading model" (503) and a 429 after its Retry-After', async () => {
  const loading = await startLlamaServer({ loadingFor: 2 });
  await expect(new LlamaCppReranker({ baseUrl: loading.baseUrl, ...fast }).rerank('q', makeDocuments([1, 2]))).resolves.toHaveLength(2);
  expect(loading.requests).toHaveLength(3);

  const throttled = await startLlamaServer({ throttle: { n: 1, retryAfter: '0' } });
  await expect(new LlamaCppReranker({ baseUrl: throttled.baseUrl, ...fast }).rerank('q', makeDocuments([1, 2]))).resolves.toHaveLength(2);
  expect(throttled.requests).toHaveLength(2);
});

test("reports llama-server's error body and its --api-key refusal, without retrying", async () => {
  const server = await startLlamaServer({ apiKey: 'right' });
  const error = await new LlamaCppReranker({ baseUrl: server.baseUrl, apiKey: 'wrong', ...fast }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderHttpError);
  expect(error).toMatchObject({ status: 401, provider: 'llama.cpp', providerMessage: 'Invalid API Key', attempts: 1 });
  await expect(new LlamaCppReranker({ baseUrl: server.baseUrl, apiKey: 'right' }).rerank('q', ['s=1 a'])).resolves.toHaveLength(1);
});

test('reads LLAMA_API_KEY for any baseUrl (always self-hosted) and needs a baseUrl', async () => {
  const server = await startLlamaServer({ apiKey: 'env-key' });
  const saved = process.env.LLAMA_API_KEY;
  process.env.LLAMA_API_KEY = 'env-key';
  try {
    await expect(new LlamaCppReranker({ baseUrl: server.baseUrl }).rerank('q', ['s=1 a'])).resolves.toHaveLength(1);
  } finally {
    if (saved === undefined) delete process.env.LLAMA_API_KEY;
    else process.env.LLAMA_API_KEY = saved;
  }
  expect(() => new LlamaCppReranker({} as never)).toThrow(InvalidInputError);
  expect(() => new LlamaCppReranker({} as never)).toThrow(/baseUrl/);
  expect(() => new LlamaCppReranker({ baseUrl: server.baseUrl, model: '' })).toThrow(/options.model/);
});
