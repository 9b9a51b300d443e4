// Cohere-specific behaviour: the real cohere-ai client driven against a local server.
import { CohereClientV2 } from 'cohere-ai';
import { InvalidInputError } from '@crossrank/core';
import { rankScores } from '@crossrank/core';
import { COHERE_DEFAULT_BASE_URL, CohereReranker } from './cohere.js';
import { MissingApiKeyError, ProviderHttpError, ProviderNetworkError } from './errors.js';
import { honestResults, makeDocuments, PROTOCOLS } from './test-protocols.js';
import { closeAllServers, resetConnection, sendJson, startServer } from './test-server.js';

const cohere = PROTOCOLS.find((p) => p.name === 'Cohere')!;
const ENV = ['COHERE_API_KEY', 'CO_API_KEY'] as const;
const savedEnv = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

afterEach(async () => {
  for (const name of ENV) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await closeAllServers();
});

function honestServer() {
  return startServer((request, res) => sendJson(res, 200, cohere.respond(honestResults(cohere, request.body))));
}

test('sends max_tokens_per_doc and the model through the SDK', async () => {
  const server = await honestServer();
  const reranker = new CohereReranker({ apiKey: 'k', baseUrl: server.baseUrl, model: 'rerank-v4.0-pro', maxTokensPerDoc: 512 });
  await reranker.rerank('q', makeDocuments([0.3, 0.6]));
  expect(server.requests[0]!.body).toEqual({
    model: 'rerank-v4.0-pro',
    query: 'q',
    documents: makeDocuments([0.3, 0.6]),
    top_n: 2,
    max_tokens_per_doc: 512,
  });
});

test('uses an injected CohereClientV2 with its own key, and turns its retries off', async () => {
  const server = await startServer((_request, res) => sendJson(res, 503, { message: 'overloaded' }));
  // The client's own default would retry twice per call, with second-long sleeps.
  const client = new CohereClientV2({ token: 'client-key', baseUrl: server.baseUrl });
  const reranker = new CohereReranker({ client, maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 });

  await expect(reranker.rerank('q', ['s=1 a'])).rejects.toMatchObject({ status: 503, attempts: 2 });
  expect(server.requests).toHaveLength(2);
  expect(server.requests[0]!.headers.authorization).toBe('Bearer client-key');
  expect(reranker.toJSON()).toMatchObject({ baseUrl: '(custom client)', hasApiKey: false });
});

test('an injected client excludes apiKey and baseUrl, and must be a client', () => {
  const client = new CohereClientV2({ token: 'x' });
  expect(() => new CohereReranker({ client, apiKey: 'k' })).toThrow(InvalidInputError);
  expect(() => new CohereReranker({ client, baseUrl: 'http://127.0.0.1:1' })).toThrow(/either options.client or apiKey\/baseUrl/);
  expect(() => new CohereReranker({ client: {} as never })).toThrow(/CohereClientV2/);
});

test('honours a Retry-After given in seconds through the SDK', async () => {
  const server = await startServer((request, res, n) =>
    n === 0
      ? sendJson(res, 429, { message: 'rate limited' }, { 'retry-after': '1' })
      : sendJson(res, 200, cohere.respond(honestResults(cohere, request.body))),
  );
  const started = Date.now();
  const results = await new CohereReranker({ apiKey: 'k', baseUrl: server.baseUrl, baseDelayMs: 1, maxDelayMs: 1 }).rerank('q', makeDocuments([0.4, 0.8]));
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(results).toEqual(rankScores([0.4, 0.8]));
});

test('needs a key for the hosted API: option, COHERE_API_KEY, then CO_API_KEY', () => {
  for (const name of ENV) delete process.env[name];
  const error = (() => {
    try {
      new CohereReranker();
    } catch (e) {
      return e;
    }
  })();
  expect(error).toBeInstanceOf(MissingApiKeyError);
  expect((error as Error).message).toMatch(/apiKey.*COHERE_API_KEY or CO_API_KEY/);

  process.env.CO_API_KEY = 'from-co';
  expect(new CohereReranker().toJSON().hasApiKey).toBe(true);
  expect(new CohereReranker({ apiKey: 'opt' }).toJSON()).toMatchObject({ hasApiKey: true, baseUrl: COHERE_DEFAULT_BASE_URL, model: 'rerank-v3.5' });
});

test('sends no environment key to a custom baseUrl (self-hosted vLLM without --api-key)', async () => {
  process.env.COHERE_API_KEY = 'hosted-secret';
  process.env.CO_API_KEY = 'hosted-secret';
  const server = await honestServer();
  const results = await new CohereReranker({ baseUrl: server.baseUrl, model: 'BAAI/bge-reranker-v2-m3' }).rerank('q', makeDocuments([0.1, 0.9]));
  expect(results.map((r) => r.index)).toEqual([1, 0]);
  expect(server.requests[0]!.headers.authorization).toBeUndefined();
  expect(server.requests[0]!.path).toBe('/v2/rerank');
});

test('maps an HTTP error body that is not JSON to a typed error with its text', async () => {
  const server = await startServer((_request, res) => {
    res.writeHead(502, { 'content-type': 'text/html' });
    res.end('<html>Bad Gateway from nginx</html>');
  });
  const error = await new CohereReranker({ apiKey: 'k', baseUrl: server.baseUrl, maxRetries: 0 }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderHttpError);
  expect(error).toMatchObject({ status: 502, providerMessage: '<html>Bad Gateway from nginx</html>' });
});

test('a failed or aborted request leaves no timer armed, so Node can exit', async () => {
  // The SDK's default transport keeps a timeoutMs timer after a failure; ours must not.
  const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
  const server = await startServer((_request, _res, n, req) => (n === 0 ? resetConnection(req) : undefined));
  const reranker = new CohereReranker({ apiKey: 'k', baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 60_000 });
  const before = timers();

  await expect(reranker.rerank('q', ['a'])).rejects.toThrow(ProviderNetworkError);
  const controller = new AbortController();
  const pending = reranker.rerank('q', ['a'], { signal: controller.signal });
  while (server.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));
  controller.abort();
  await expect(pending).rejects.toThrow(/aborted/);

  expect(timers()).toBeLessThanOrEqual(before);
});
