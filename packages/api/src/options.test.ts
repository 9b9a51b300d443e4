// Construction: keys from options or the environment, and option validation.
import { InvalidInputError } from '@crossrank/core';
import { COHERE_DEFAULT_BASE_URL, CohereReranker } from './cohere.js';
import { MissingApiKeyError } from './errors.js';
import { JinaReranker } from './jina.js';
import { MixedbreadReranker } from './mixedbread.js';
import { TeiReranker } from './tei.js';
import { closeAllServers, sendJson, startServer } from './test-server.js';
import { VoyageReranker } from './voyage.js';

const HOSTED = [
  { Class: JinaReranker, env: 'JINA_API_KEY', baseUrl: 'https://api.jina.ai', model: 'jina-reranker-v2-base-multilingual' },
  { Class: VoyageReranker, env: 'VOYAGE_API_KEY', baseUrl: 'https://api.voyageai.com', model: 'rerank-2.5' },
  { Class: MixedbreadReranker, env: 'MXBAI_API_KEY', baseUrl: 'https://api.mixedbread.com', model: 'mixedbread-ai/mxbai-rerank-large-v2' },
  { Class: CohereReranker, env: 'COHERE_API_KEY', baseUrl: COHERE_DEFAULT_BASE_URL, model: 'rerank-v3.5' },
] as const;
const ENV_NAMES = ['JINA_API_KEY', 'VOYAGE_API_KEY', 'MXBAI_API_KEY', 'COHERE_API_KEY', 'CO_API_KEY'];
const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

beforeEach(() => {
  for (const name of ENV_NAMES) delete process.env[name];
});
afterEach(async () => {
  for (const name of ENV_NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await closeAllServers();
});

describe.each(HOSTED)('$Class.name', ({ Class, env, baseUrl, model }) => {
  test('without a key: MissingApiKeyError naming the option and the variable', () => {
    let error: unknown;
    try {
      new Class();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingApiKeyError);
    expect((error as Error).message).toContain('apiKey');
    expect((error as Error).message).toContain(env);
    expect((error as MissingApiKeyError).envVars).toContain(env);
  });

  test(`takes the key from ${env} and has the documented defaults`, () => {
    process.env[env] = 'env-key';
    expect(new Class().toJSON()).toMatchObject({ hasApiKey: true, baseUrl, model });
  });

  test('rejects unusable options with InvalidInputError naming them', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ apiKey: '' }, /apiKey/],
      [{ apiKey: 42 }, /apiKey/],
      [{ apiKey: 'k', timeoutMs: 0 }, /timeoutMs/],
      [{ apiKey: 'k', maxRetries: 1.5 }, /maxRetries/],
      [{ apiKey: 'k', baseDelayMs: -1 }, /baseDelayMs/],
      [{ apiKey: 'k', batchSize: 0 }, /batchSize/],
      [{ apiKey: 'k', concurrency: Number.NaN }, /concurrency/],
      [{ apiKey: 'k', model: '' }, /model/],
      [{ apiKey: 'k', baseUrl: 'ftp://x' }, /baseUrl/],
      [{ apiKey: 'k', fetch: 'nope' }, /fetch/],
    ];
    for (const [options, message] of cases) {
      expect(() => new Class(options as never)).toThrow(InvalidInputError);
      expect(() => new Class(options as never)).toThrow(message);
    }
  });
});

test('a custom fetch is used for every request', async () => {
  const server = await startServer((_request, res) => sendJson(res, 200, { results: [{ index: 0, relevance_score: 0.5 }] }));
  const seen: string[] = [];
  const spy: typeof fetch = (input, init) => {
    seen.push(String(input));
    return fetch(input, init);
  };
  await new JinaReranker({ baseUrl: server.baseUrl, fetch: spy }).rerank('q', ['a']);
  expect(seen).toEqual([`${server.baseUrl}/v1/rerank`]);
});

test('JinaReranker takes a custom path (Infinity serves /rerank) and no key for a custom baseUrl', async () => {
  process.env.JINA_API_KEY = 'hosted-only';
  const server = await startServer((_request, res) => sendJson(res, 200, { results: [{ index: 0, relevance_score: 0.5 }] }));
  await new JinaReranker({ baseUrl: server.baseUrl, path: 'rerank' }).rerank('q', ['a']);
  expect(server.requests[0]!.path).toBe('/rerank');
  expect(server.requests[0]!.headers.authorization).toBeUndefined();
});

test('VoyageReranker sends truncation, TeiReranker validates its booleans', async () => {
  const server = await startServer((_request, res) => sendJson(res, 200, { data: [{ index: 0, relevance_score: 0.5 }] }));
  await new VoyageReranker({ baseUrl: server.baseUrl, truncation: false }).rerank('q', ['a']);
  expect(server.requests[0]!.body.truncation).toBe(false);
  expect(() => new VoyageReranker({ apiKey: 'k', truncation: 'yes' as never })).toThrow(/truncation/);
  expect(() => new TeiReranker({ baseUrl: 'http://127.0.0.1:1', rawScores: 1 as never })).toThrow(/rawScores/);
});
