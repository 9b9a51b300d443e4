// vLLM and Infinity through the existing CohereReranker / JinaReranker, against fakes that follow each
// server's source (test-fakes.ts), and every self-hosted example in README.md run as written, with only
// the host replaced by the local fake's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rankScores, sigmoid } from '@crossrank/core';
import { CohereReranker } from './cohere.js';
import { ProviderHttpError } from './errors.js';
import { HuggingFaceReranker } from './hugging-face.js';
import { JinaReranker } from './jina.js';
import { LlamaCppReranker } from './llama-cpp.js';
import { INFINITY_MAX_DOCUMENTS, startHuggingFace, startInfinity, startLlamaServer, startVllm } from './test-fakes.js';
import { makeDocuments } from './test-protocols.js';
import { closeAllServers } from './test-server.js';

afterEach(closeAllServers);
const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const SCORES = [0.2, 0.9, 0.5, 0.7, 0.1];
const MODEL = 'BAAI/bge-reranker-v2-m3';

describe('vLLM', () => {
  test('CohereReranker speaks /v2/rerank and JinaReranker /v1/rerank; both rank by index', async () => {
    const server = await startVllm();
    const viaCohere = new CohereReranker({ baseUrl: server.baseUrl, model: MODEL });
    const viaJina = new JinaReranker({ baseUrl: server.baseUrl, model: MODEL });
    const expected = rankScores(SCORES, { topN: 3 });
    await expect(viaCohere.rerank('q', makeDocuments(SCORES), { topN: 3 })).resolves.toEqual(expected);
    await expect(viaJina.rerank('q', makeDocuments(SCORES), { topN: 3 })).resolves.toEqual(expected);
    expect(server.requests.map((r) => r.path)).toEqual(['/v2/rerank', '/v1/rerank']);
    for (const request of server.requests) expect(request.body).toMatchObject({ model: MODEL, query: 'q', documents: makeDocuments(SCORES), top_n: 3 });
  });

  test("reports vLLM's ErrorResponse message, not retried for a 400; retries a 429 after Retry-After", async () => {
    const server = await startVllm({ maxModelLen: 40 });
    const long = `s=0.5 ${'word '.repeat(20)}`;
    for (const reranker of [new JinaReranker({ baseUrl: server.baseUrl, ...fast }), new CohereReranker({ baseUrl: server.baseUrl, model: MODEL, ...fast })]) {
      const error = await reranker.rerank('q', [long]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderHttpError);
      expect(error).toMatchObject({ status: 400, attempts: 1 });
      expect((error as ProviderHttpError).providerMessage).toMatch(/^This model's maximum context length is 40 tokens/);
    }
    expect(server.requests).toHaveLength(2);

    const throttled = await startVllm({ throttle: { n: 2, retryAfter: '0' } });
    await expect(new CohereReranker({ baseUrl: throttled.baseUrl, model: MODEL, ...fast }).rerank('q', makeDocuments(SCORES))).resolves.toEqual(rankScores(SCORES));
    expect(throttled.requests).toHaveLength(3);
  });

  test('sends the key vLLM was started with (--api-key) and reports its 401', async () => {
    const server = await startVllm({ apiKey: 'vllm-key' });
    await expect(new JinaReranker({ baseUrl: server.baseUrl, apiKey: 'vllm-key' }).rerank('q', makeDocuments(SCORES))).resolves.toHaveLength(5);
    const error = await new CohereReranker({ baseUrl: server.baseUrl, model: MODEL, apiKey: 'other', ...fast }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, provider: 'Cohere', providerMessage: 'Unauthorized', attempts: 1 });
  });
});

describe('Infinity', () => {
  test('JinaReranker on /rerank splits a list over 2,048 documents and merges it', async () => {
    const server = await startInfinity();
    const scores = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) / 5000);
    const reranker = new JinaReranker({ baseUrl: server.baseUrl, path: '/rerank', model: 'mixedbread-ai/mxbai-rerank-xsmall-v1', batchSize: INFINITY_MAX_DOCUMENTS });
    const results = await reranker.rerank('q', makeDocuments(scores), { topN: 10 });
    expect(results).toEqual(rankScores(scores, { topN: 10 }));
    expect(server.requests.map((r) => r.body.documents.length).sort((a: number, b: number) => a - b)).toEqual([904, 2048, 2048]);
    expect(server.requests.every((r) => r.path === '/rerank' && r.body.top_n === 10 && r.body.return_documents === false)).toBe(true);
  });

  test("a batch over Infinity's limit gets its 422 (not retried); the wrong path a 404", async () => {
    const server = await startInfinity();
    const tooMany = await new JinaReranker({ baseUrl: server.baseUrl, path: '/rerank', batchSize: 3000, ...fast })
      .rerank('q', makeDocuments(Array.from({ length: 2049 }, () => 0.5)))
      .catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(ProviderHttpError);
    expect(tooMany).toMatchObject({ status: 422, attempts: 1, providerMessage: 'List should have at most 2048 items after validation, not 2049' });

    const wrongPath = await new JinaReranker({ baseUrl: server.baseUrl, ...fast }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(wrongPath).toMatchObject({ status: 404, attempts: 1 });
    const unknownModel = await new JinaReranker({ baseUrl: server.baseUrl, path: '/rerank', model: 'other', ...fast }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(unknownModel).toMatchObject({ status: 400, providerMessage: 'Invalid model: other' });
  });

  test('--url-prefix /v1 serves /v1/rerank (JinaReranker default path); 429 is retried', async () => {
    const server = await startInfinity({ prefix: '/v1', throttle: { n: 1, retryAfter: '0' } });
    const reranker = new JinaReranker({ baseUrl: server.baseUrl, model: 'mixedbread-ai/mxbai-rerank-xsmall-v1', ...fast });
    await expect(reranker.rerank('q', makeDocuments(SCORES))).resolves.toEqual(rankScores(SCORES));
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/rerank', '/v1/rerank']);
  });
});

describe('README examples', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const query = 'what is vLLM used for?';
  const texts = makeDocuments(SCORES);

  /** The first ts block under `## <heading>`, its imports dropped, run with the classes in scope. */
  async function runExample(heading: string, hosts: Record<string, string>): Promise<Record<string, any>> {
    const section = readme.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
    const block = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    if (!block) throw new Error(`README.md has no ts example under "## ${heading}"`);
    let code = block.replace(/^import .*$/gm, '');
    for (const [from, to] of Object.entries(hosts)) {
      if (!code.includes(from)) throw new Error(`the "${heading}" example no longer uses ${from}`);
      code = code.split(from).join(to);
    }
    const names = [...code.matchAll(/^const (\w+) =/gm)].map((m) => m[1]!);
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<Record<string, any>>;
    const run = new AsyncFunction('CohereReranker', 'JinaReranker', 'LlamaCppReranker', 'HuggingFaceReranker', 'query', 'texts', `${code}\nreturn { ${names.join(', ')} };`);
    return run(CohereReranker, JinaReranker, LlamaCppReranker, HuggingFaceReranker, query, texts);
  }

  test('vLLM: both clients, as written', async () => {
    const server = await startVllm();
    const { viaCohere, ranked } = await runExample('vLLM', { 'http://vllm-rerank.internal:8000': server.baseUrl });
    expect(ranked).toEqual(rankScores(SCORES, { topN: 3 }));
    await expect(viaCohere.rerank(query, texts, { topN: 3 })).resolves.toEqual(ranked);
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/rerank', '/v2/rerank']);
  });

  test('Infinity, as written', async () => {
    const server = await startInfinity();
    const { ranked } = await runExample('Infinity', { 'http://infinity.internal:7997': server.baseUrl });
    expect(ranked).toEqual(rankScores(SCORES, { topN: 3 }));
  });

  test('llama.cpp, as written: raw scores through the sigmoid', async () => {
    const server = await startLlamaServer();
    const { ranked } = await runExample('llama.cpp', { 'http://localhost:8080': server.baseUrl });
    expect(ranked).toEqual(rankScores(SCORES.map(sigmoid), { topN: 3 }));
  });

  test('Hugging Face Inference, as written', async () => {
    const server = await startHuggingFace({ apiKey: 'hf_readme' });
    const saved = process.env.HF_TOKEN;
    process.env.HF_TOKEN = 'hf_readme';
    try {
      const { hf, ranked } = await runExample('Hugging Face Inference', { 'https://my-endpoint.endpoints.huggingface.cloud': server.baseUrl });
      expect(ranked).toEqual(rankScores(SCORES, { topN: 3 }));
      expect(hf.baseUrl).toBe('https://router.huggingface.co/hf-inference/models/BAAI/bge-reranker-v2-m3');
      expect(hf.toJSON().hasApiKey).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = saved;
    }
  });
});
