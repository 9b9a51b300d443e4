// Every backend against a local server speaking its protocol: the documented example, the wire
// format, and the faults a hosted API or a self-hosted cluster can throw at a client.
import { InvalidInputError, RerankAbortedError } from '@crossrank/core';
import { rankScores } from '@crossrank/core';
import { ProviderHttpError, ProviderNetworkError, ProviderResponseError, ProviderTimeoutError } from './errors.js';
import { clientScores, honestResults, queryOf, makeDocuments, PROTOCOLS, type Protocol } from './test-protocols.js';
import { closeAllServers, loadFixture, resetConnection, sendJson, startServer } from './test-server.js';

afterEach(closeAllServers);

const fast = { baseDelayMs: 1, maxDelayMs: 5 };
const SCORES = [0.2, 0.9, 0.5, 0.7, 0.1];

/** A server that answers every request correctly for `protocol`. */
function honest(protocol: Protocol) {
  return startServer((request, res) => sendJson(res, 200, protocol.respond(honestResults(protocol, request.body))));
}

describe.each(PROTOCOLS)('$name', (protocol) => {
  test('sends the documented request and maps the documented response by index', async () => {
    const expectedRequest = loadFixture(`${protocol.fixture}.request.json`);
    const response = loadFixture(`${protocol.fixture}.response.json`);
    const server = await startServer((_request, res) => sendJson(res, 200, response));
    const reranker = protocol.create(server.baseUrl, { apiKey: 'sk-fixture' });
    const documents = protocol.documentsOf(expectedRequest);
    const topN = protocol.topNKey ? expectedRequest[protocol.topNKey] : undefined;

    const results = await reranker.rerank(queryOf(protocol, expectedRequest), documents, topN === undefined ? {} : { topN });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(protocol.path);
    expect(request!.headers.authorization).toBe('Bearer sk-fixture');
    expect(request!.headers['content-type']).toMatch(/^application\/json/);
    expect(request!.body).toEqual(expectedRequest);
    // Oracle: the response's own list, scored by index and ranked by the contract.
    const list: any[] = Array.isArray(response) ? response : response.results ?? response.data;
    const scores = new Array(documents.length).fill(-1);
    for (const item of list) scores[item.index] = clientScores(protocol, [item[protocol.scoreKey]])[0];
    expect(results).toEqual(rankScores(scores, { scoreThreshold: 0, topN }));
  });

  test('asks for topN per request when set, and for every document otherwise', async () => {
    const server = await honest(protocol);
    const reranker = protocol.create(server.baseUrl);
    const documents = makeDocuments(SCORES);

    const top2 = await reranker.rerank('q', documents, { topN: 2 });
    const all = await reranker.rerank('q', documents);

    expect(top2).toEqual(rankScores(clientScores(protocol, SCORES), { topN: 2 }));
    expect(all).toEqual(rankScores(clientScores(protocol, SCORES)));
    if (protocol.topNKey) {
      expect(server.requests.map((r) => r.body[protocol.topNKey!])).toEqual([2, SCORES.length]);
    } else {
      expect(server.requests.map((r) => Object.keys(r.body).sort())).toEqual([protocol.bodyKeys, protocol.bodyKeys]);
    }
    expect(server.requests.every((r) => queryOf(protocol, r.body) === 'q')).toBe(true);
  });

  test('applies scoreThreshold before topN and leaves the input untouched', async () => {
    const server = await honest(protocol);
    const documents = makeDocuments(SCORES);
    const copy = [...documents];
    // 0.65 sits between the scores (and between their sigmoids), so the cut drops some but not all.
    const results = await protocol.create(server.baseUrl).rerank('q', documents, { scoreThreshold: 0.65, topN: 5 });
    expect(results).toEqual(rankScores(clientScores(protocol, SCORES), { scoreThreshold: 0.65, topN: 5 }));
    expect(results.map((r) => r.index)).toEqual([1, 3]);
    expect(documents).toEqual(copy);
  });

  test('splits long lists into batches and merges them with indices into the caller array', async () => {
    const server = await honest(protocol);
    const scores = Array.from({ length: 11 }, (_, i) => ((i * 7) % 11) / 10);
    const reranker = protocol.create(server.baseUrl, { batchSize: 4, concurrency: 2 });

    const results = await reranker.rerank('q', makeDocuments(scores), { topN: 3 });

    expect(results).toEqual(rankScores(clientScores(protocol, scores), { topN: 3 }));
    expect(server.requests.map((r) => protocol.documentsOf(r.body).length).sort()).toEqual([3, 4, 4]);
    if (protocol.topNKey) expect(server.requests.map((r) => r.body[protocol.topNKey!]).sort()).toEqual([3, 3, 3]);
  });

  test('returns [] for no documents or topN 0 without a request, and rejects bad input before sending', async () => {
    const server = await honest(protocol);
    const reranker = protocol.create(server.baseUrl);
    await expect(reranker.rerank('q', [])).resolves.toEqual([]);
    await expect(reranker.rerank('q', ['a'], { topN: 0 })).resolves.toEqual([]);
    await expect(reranker.rerank('q', [{ pageContent: 'x' }] as never)).rejects.toThrow(InvalidInputError);
    await expect(reranker.rerank('q', ['a'], { topN: -1 })).rejects.toThrow(/topN/);
    expect(server.requests).toHaveLength(0);
  });

  test('retries a 429 after its Retry-After and succeeds', async () => {
    const server = await startServer((request, res, n) =>
      n === 0
        ? sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '0' })
        : sendJson(res, 200, protocol.respond(honestResults(protocol, request.body))),
    );
    const results = await protocol.create(server.baseUrl, { ...fast, maxRetries: 2 }).rerank('q', makeDocuments(SCORES));
    expect(results).toEqual(rankScores(clientScores(protocol, SCORES)));
    expect(server.requests).toHaveLength(2);
  });

  test('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    const server = await startServer((_request, res) => sendJson(res, 429, { message: 'quota' }, { 'retry-after': '3600' }));
    const started = Date.now();
    const error = await protocol.create(server.baseUrl, { ...fast, maxRetries: 3 }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3_600_000, provider: protocol.name, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });

  test('retries a 500 until maxRetries runs out, then reports the status and the provider message', async () => {
    const server = await startServer((_request, res) => sendJson(res, 500, { message: 'model crashed' }));
    const error = await protocol.create(server.baseUrl, { ...fast, maxRetries: 2 }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ status: 500, provider: protocol.name, providerMessage: 'model crashed', attempts: 3 });
    expect((error as Error).message).toMatch(new RegExp(`^${protocol.name} .*HTTP 500.*model crashed.*3 attempts`));
    expect(server.requests).toHaveLength(3);
  });

  test("does not retry other 4xx, and reports the provider's documented error body", async () => {
    const { file, status } = protocol.errorFixture;
    const server = await startServer((_request, res) => sendJson(res, status, loadFixture(file)));
    const error = await protocol.create(server.baseUrl, { ...fast, maxRetries: 3 }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({ status, provider: protocol.name, attempts: 1 });
    const body = loadFixture(file);
    // {message} (Cohere, Mixedbread), {error: string} (TEI, Hugging Face), {error: {message}} (llama.cpp,
    // vLLM, Infinity), {detail} (FastAPI: Jina, Voyage).
    const documented =
      body.message ?? (typeof body.error === 'string' ? body.error : body.error?.message) ?? (typeof body.detail === 'string' ? body.detail : body.detail[0].msg);
    expect((error as ProviderHttpError).providerMessage).toBe(documented);
    expect((error as Error).message).toContain(documented);
    expect(server.requests).toHaveLength(1);
  });

  test('times out a response slower than timeoutMs, on every attempt', async () => {
    const server = await startServer(() => {
      // never answers
    });
    const started = Date.now();
    const error = await protocol
      .create(server.baseUrl, { ...fast, maxRetries: 1, timeoutMs: 100 })
      .rerank('q', ['s=1 a'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderTimeoutError);
    expect(error).toMatchObject({ provider: protocol.name, timeoutMs: 100, attempts: 2 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.requests).toHaveLength(2);
  });

  test('a timeout also covers a body that stops mid-way, and the retry can succeed', async () => {
    const server = await startServer((request, res, n) => {
      if (n === 0) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"res'); // headers and half a body, then nothing
        return;
      }
      sendJson(res, 200, protocol.respond(honestResults(protocol, request.body)));
    });
    const results = await protocol.create(server.baseUrl, { ...fast, timeoutMs: 150 }).rerank('q', makeDocuments(SCORES));
    expect(results).toEqual(rankScores(clientScores(protocol, SCORES)));
    expect(server.requests).toHaveLength(2);
  });

  test('retries a reset connection, and reports a network error when it keeps happening', async () => {
    const flaky = await startServer((request, res, n, req) =>
      n === 0 ? resetConnection(req) : sendJson(res, 200, protocol.respond(honestResults(protocol, request.body))),
    );
    await expect(protocol.create(flaky.baseUrl, fast).rerank('q', makeDocuments(SCORES))).resolves.toEqual(rankScores(clientScores(protocol, SCORES)));
    expect(flaky.requests).toHaveLength(2);

    const broken = await startServer((_request, _res, _n, req) => resetConnection(req));
    const error = await protocol.create(broken.baseUrl, { ...fast, maxRetries: 1 }).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderNetworkError);
    expect(error).toMatchObject({ provider: protocol.name, attempts: 2 });
    expect(broken.requests).toHaveLength(2);
  });

  test('rejects malformed JSON without retrying', async () => {
    const server = await startServer((_request, res) => sendJson(res, 200, '{"results": [ {"index": 0,'));
    const error = await protocol.create(server.baseUrl, fast).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect((error as Error).message).toMatch(new RegExp(`^${protocol.name} .*not JSON`));
    expect(server.requests).toHaveLength(1);
  });

  // A raw-score server's 3.2 is a valid logit (llama-cpp.test.ts checks it is mapped); the other faults apply to all.
  const faults: [string, unknown[], RegExp][] = [
    ['an index out of range', [{ index: 0, score: 0.5 }, { index: 2, score: 0.4 }], /index 2, not an integer in \[0, 1\]/],
    ['a repeated index', [{ index: 1, score: 0.5 }, { index: 1, score: 0.4 }], /index 1 appears more than once/],
    ['a fractional index', [{ index: 0.5, score: 0.5 }, { index: 1, score: 0.4 }], /index 0.5/],
    ['a missing document', [{ index: 1, score: 0.5 }], /1 results where 2 were expected/],
    ['a score above 1', [{ index: 0, score: 3.2 }, { index: 1, score: 0.4 }], /outside \[0, 1\]/],
    ['a score that is not a number', [{ index: 0, score: 'high' }, { index: 1, score: 0.4 }], /not a finite number/],
  ];
  test.each(faults.filter(([what]) => !(protocol.toScore && what === 'a score above 1')))('rejects a response with %s', async (_what, results, message) => {
    const server = await startServer((_request, res) => sendJson(res, 200, protocol.respond(results as never)));
    // The cohere-ai SDK console.warns about bodies that fail its schema; crossrank itself never logs.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    let warnings = 0;
    const error = await protocol
      .create(server.baseUrl, fast)
      .rerank('q', ['s=1 a', 's=1 b'])
      .catch((e: unknown) => e)
      .finally(() => {
        warnings = warn.mock.calls.length;
        warn.mockRestore();
      });
    if (protocol.name !== 'Cohere') expect(warnings).toBe(0);
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(error).toMatchObject({ provider: protocol.name });
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(1);
  });

  test('rejects a response that is not the documented shape', async () => {
    const server = await startServer((_request, res) => sendJson(res, 200, { unexpected: true }));
    const error = await protocol.create(server.baseUrl, fast).rerank('q', ['s=1 a']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderResponseError);
  });

  test('aborts at once while the server hangs, and closes the request', async () => {
    let closed = false;
    const server = await startServer((_request, _res, _n, req) => {
      req.socket.on('close', () => (closed = true));
    });
    const controller = new AbortController();
    const pending = protocol.create(server.baseUrl, { timeoutMs: 20_000 }).rerank('q', ['s=1 a'], { signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    const started = Date.now();
    controller.abort(new Error('user left'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RerankAbortedError);
    expect((error as Error).message).toContain('user left');
    expect(Date.now() - started).toBeLessThan(500);
    await waitFor(() => closed);
  });

  test('aborts at once during a backoff sleep without another request', async () => {
    const server = await startServer((_request, res) => sendJson(res, 503, { message: 'busy' }));
    const controller = new AbortController();
    const pending = protocol
      .create(server.baseUrl, { baseDelayMs: 20_000, maxDelayMs: 20_000, maxRetries: 3 })
      .rerank('q', ['s=1 a'], { signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the 503 arrive and the sleep begin
    const started = Date.now();
    controller.abort();
    await expect(pending).rejects.toThrow(RerankAbortedError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });

  test('sends nothing when the signal has already fired', async () => {
    const server = await honest(protocol);
    await expect(protocol.create(server.baseUrl).rerank('q', ['s=1 a'], { signal: AbortSignal.abort() })).rejects.toThrow(RerankAbortedError);
    expect(server.requests).toHaveLength(0);
  });

  test('a failed batch stops the others and its error is the one reported', async () => {
    const server = await startServer((request, res) => {
      const documents = protocol.documentsOf(request.body);
      if (documents[0]!.includes('document 2')) return sendJson(res, 400, { message: 'bad batch' });
      sendJson(res, 200, protocol.respond(honestResults(protocol, request.body)));
    });
    const reranker = protocol.create(server.baseUrl, { ...fast, batchSize: 2, concurrency: 1 });
    const error = await reranker.rerank('q', makeDocuments([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, providerMessage: 'bad batch' });
    // Sequential batches: the third is never sent once the second failed.
    expect(server.requests).toHaveLength(2);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
