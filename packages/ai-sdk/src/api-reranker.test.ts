// A wrapped API reranker over real HTTP (a local 127.0.0.1 server): which layer retries what.
import { APICallError, InvalidResponseDataError } from '@ai-sdk/provider';
import { FallbackReranker, type Reranker } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { TeiReranker } from '@crossrank/api';
import { rerank } from 'ai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { crossrank } from './index.js';
import { startRerankServer, teiScores, type RerankServer } from './test-support/rerank-server.js';
import { PASSAGES, QUERY, testModelDir } from './test-support/test-model.js';

const servers: RerankServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(script: Parameters<typeof startRerankServer>[0]): Promise<RerankServer> {
  const s = await startRerankServer(script);
  servers.push(s);
  return s;
}

const rateLimitedOnce = (_: unknown, n: number) =>
  n === 0 ? { status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '0' } } : undefined;

function teiAnswer(script: (n: number) => ReturnType<typeof rateLimitedOnce>) {
  return (request: Parameters<typeof teiScores>[0], n: number) => script(n) ?? { status: 200, body: teiScores(request) };
}

describe('crossrank.fromReranker(TeiReranker) in rerank()', () => {
  it('names the model after the backend and ranks as the server scored', async () => {
    const s = await server(teiAnswer(() => undefined));
    const model = crossrank.fromReranker(new TeiReranker({ baseUrl: s.baseUrl }));
    expect(model.provider).toBe('crossrank.tei');
    const { ranking, providerMetadata } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 2 });
    const expected = teiScores({ query: QUERY, texts: PASSAGES }).sort((a, b) => b.score - a.score || a.index - b.index);
    expect(ranking.map((r) => [r.originalIndex, r.score])).toEqual(expected.slice(0, 2).map((r) => [r.index, r.score]));
    expect(providerMetadata?.crossrank).toMatchObject({ dtype: null, documents: PASSAGES.length, loadMs: expect.any(Number) });
  });

  it("a 429 then success: crossrank's own retry serves it, in one doRerank, two requests", async () => {
    const s = await server(teiAnswer((n) => rateLimitedOnce(null, n)));
    const model = crossrank.fromReranker(new TeiReranker({ baseUrl: s.baseUrl, baseDelayMs: 1 }));
    const doRerank = vi.spyOn(model, 'doRerank');
    const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 3 });
    expect(ranking).toHaveLength(3);
    expect(s.requests).toHaveLength(2);
    expect(doRerank).toHaveBeenCalledTimes(1);
  });

  it("a 429 then success with crossrank's retries off (maxRetries: 0): ai's loop retries, honouring Retry-After", async () => {
    const s = await server(teiAnswer((n) => rateLimitedOnce(null, n)));
    const model = crossrank.fromReranker(new TeiReranker({ baseUrl: s.baseUrl, maxRetries: 0 }));
    const started = performance.now();
    const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 3 });
    expect(ranking).toHaveLength(3);
    expect(s.requests).toHaveLength(2);
    // Retry-After: 0 was passed on; ai's own first backoff is 2000 ms.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('with retries off and ai retries off too, the 429 surfaces as a retryable APICallError', async () => {
    const s = await server(teiAnswer((n) => rateLimitedOnce(null, n)));
    const model = crossrank.fromReranker(new TeiReranker({ baseUrl: s.baseUrl, maxRetries: 0 }));
    const error = await rerank({ model, documents: PASSAGES, query: QUERY, maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 429, isRetryable: true, url: s.baseUrl, data: { code: 'CROSSRANK_PROVIDER_HTTP', provider: 'TEI', attempts: 1 } });
    expect((error as APICallError).cause).toMatchObject({ name: 'ProviderHttpError', status: 429 });
  });

  it('a server that keeps failing is retried by one layer only: crossrank retried, so ai does not multiply it', async () => {
    const s = await server(() => ({ status: 503, body: { error: 'down' } }));
    const model = crossrank.fromReranker(new TeiReranker({ baseUrl: s.baseUrl, maxRetries: 2, baseDelayMs: 1 }));
    const error = await rerank({ model, documents: PASSAGES, query: QUERY, maxRetries: 2 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 503, isRetryable: false, data: { attempts: 3 } });
    expect(s.requests).toHaveLength(3); // 1 + crossrank's 2 retries, not (1 + 2) x (1 + 2)
  });

  it('a 400 (bad request) is not retried by anyone', async () => {
    const s = await server(() => ({ status: 400, body: { error: 'bad model' } }));
    const model = crossrank.fromReranker(new TeiReranker({ baseUrl: s.baseUrl, maxRetries: 0 }));
    const error = await rerank({ model, documents: PASSAGES, query: QUERY }).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, isRetryable: false });
    expect(s.requests).toHaveLength(1);
  });

  it('a FallbackReranker (a failing API, then the local model) serves from the fallback', async () => {
    const s = await server(() => ({ status: 500, body: {} }));
    const local = await CrossEncoder.load(await testModelDir(), { dtype: 'q8' });
    try {
      const fallback = new FallbackReranker([new TeiReranker({ baseUrl: s.baseUrl, maxRetries: 0 }), local]);
      const model = crossrank.fromReranker(fallback, { modelId: 'tei-then-local' });
      expect([model.provider, model.modelId]).toEqual(['crossrank.fallback', 'tei-then-local']);
      const { ranking } = await rerank({ model, documents: PASSAGES, query: QUERY, topN: 3 });
      const expected = await local.rerank(QUERY, PASSAGES, { topN: 3 });
      expect(ranking.map((r) => [r.originalIndex, r.score])).toEqual(expected.map((r) => [r.index, r.score]));
      expect(fallback.lastServedBy).toBe(1);
    } finally {
      await local.dispose();
    }
  });
});

describe('crossrank.fromReranker with a reranker that breaks the contract', () => {
  const cases: [string, unknown][] = [
    ['an index out of range', [{ index: 99, score: 0.5 }]],
    ['a repeated index', [{ index: 0, score: 0.5 }, { index: 0, score: 0.4 }]],
    ['an infinite score', [{ index: 0, score: Infinity }]],
    ['a NaN score', [{ index: 0, score: Number.NaN }]],
    ['no array', { results: [] }],
  ];
  it.each(cases)('%s -> InvalidResponseDataError, not retried', async (_, answer) => {
    let calls = 0;
    const broken: Reranker = { rerank: async () => (calls++, answer as never) };
    const error = await rerank({ model: crossrank.fromReranker(broken), documents: PASSAGES, query: QUERY }).catch((e: unknown) => e);
    expect(InvalidResponseDataError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/broke the Reranker contract/);
    expect(calls).toBe(1);
  });

  it('an unsorted answer is put in contract order (score descending, ties by index)', async () => {
    const unsorted: Reranker = { rerank: async () => [{ index: 2, score: 0.1 }, { index: 1, score: 0.9 }, { index: 0, score: 0.9 }] };
    const model = crossrank.fromReranker(unsorted);
    expect(model.provider).toBe('crossrank.custom');
    const { ranking } = await rerank({ model, documents: ['a', 'b', 'c'], query: 'q' });
    expect(ranking.map((r) => r.originalIndex)).toEqual([0, 1, 2]);
  });
});
