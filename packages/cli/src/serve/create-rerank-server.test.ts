// The rerank server in-process: a generated cross-encoder behind all three shapes, read back by
// crossrank's own clients and the official cohere-ai client; then health, limits, auth, overload,
// metrics, logs and draining, with a reranker held open on purpose where timing matters.
import { CohereReranker, JinaReranker, ProviderHttpError, TeiReranker } from '@crossrank/api';
import { sigmoid, type Reranker, type RerankOptions, type RerankResult } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { CohereClientV2 } from 'cohere-ai';
import { createRerankServer, type RerankServer, type RerankServerOptions } from './create-rerank-server.js';
import type { RequestLogEntry } from './request-log.js';

const QUERY = 'how do tides work';
const DOCUMENTS = [
  'Tides are caused by the gravitational pull of the moon and the sun on the oceans.',
  'The stock market closed higher on Friday after a volatile week.',
  'High tide and low tide alternate roughly every six hours along most coasts.',
  'A recipe for banana bread with walnuts.',
  'Spring tides happen when the sun and moon align, neap tides when they are at right angles.',
  'The moon orbits the earth about once every 27 days.',
];

const open: RerankServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(options: RerankServerOptions): Promise<{ server: RerankServer; url: string }> {
  const server = createRerankServer(options);
  open.push(server);
  const { url } = await server.listen(0, '127.0.0.1');
  return { server, url };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

/** A reranker that holds every call until `release()`: makes queueing and draining observable. */
class HeldReranker implements Reranker {
  calls = 0;
  #open: Array<() => void> = [];
  async rerank(_query: string, documents: readonly string[], options: RerankOptions = {}): Promise<RerankResult[]> {
    this.calls++;
    await new Promise<void>((resolve, reject) => {
      this.#open.push(resolve);
      options.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true });
    });
    return documents.map((_, index) => ({ index, score: 1 / (index + 1) })).slice(0, options.topN);
  }
  get held(): number {
    return this.#open.length;
  }
  release(): void {
    for (const resolve of this.#open.splice(0)) resolve();
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('with a generated cross-encoder', () => {
  let encoder: CrossEncoder;
  let url: string;
  const logs: RequestLogEntry[] = [];

  beforeAll(async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('cli-serve-tiny'), quantized: true });
    encoder = await CrossEncoder.load(dir);
    // The generated model declares an identity activation (as ms-marco-MiniLM does): raw logits.
    expect(encoder.info.activation).toBe('identity');
    const server = createRerankServer({ reranker: encoder, model: 'test-model', rawScores: true, log: (entry) => logs.push(entry) });
    ({ url } = await server.listen(0));
    afterAllClose = () => server.close();
  });
  let afterAllClose: () => Promise<void>;
  /** What the server must answer: the engine's ranking, its logits through the sigmoid. */
  const engine = async (options: RerankOptions = {}) => (await encoder.rerank(QUERY, DOCUMENTS, options)).map(({ index, score }) => ({ index, score: sigmoid(score) }));
  afterAll(async () => {
    await afterAllClose();
    await encoder.dispose();
  });

  test("CohereReranker, JinaReranker and TeiReranker pointed at it rank as CrossEncoder.rerank does", async () => {
    for (const options of [{ topN: 3 }, {}]) {
      const expected = await engine(options);
      expect(expected.length).toBe(options.topN ?? DOCUMENTS.length);
      await expect(new CohereReranker({ baseUrl: url, model: 'test-model' }).rerank(QUERY, DOCUMENTS, options)).resolves.toEqual(expected);
      await expect(new JinaReranker({ baseUrl: url }).rerank(QUERY, DOCUMENTS, options)).resolves.toEqual(expected);
      await expect(new TeiReranker({ baseUrl: url }).rerank(QUERY, DOCUMENTS, options)).resolves.toEqual(expected);
    }
  });

  test('the official cohere-ai client gets the same ranking', async () => {
    const expected = await engine({ topN: 4 });
    const client = new CohereClientV2({ token: 'unused', baseUrl: url });
    const response = await client.rerank({ model: 'rerank-v3.5', query: QUERY, documents: DOCUMENTS, topN: 4 });
    expect(response.results.map((r) => ({ index: r.index, score: r.relevanceScore }))).toEqual(expected);
  });

  test('each shape answers in its own format, with the documents echoed only when asked', async () => {
    const expected = await engine({ topN: 2 });
    const jina = await post(`${url}/v1/rerank`, { model: 'x', query: QUERY, documents: DOCUMENTS, top_n: 2, return_documents: true });
    expect(jina.json).toEqual({
      model: 'test-model',
      usage: { total_tokens: 0 },
      results: expected.map(({ index, score }) => ({ index, relevance_score: score, document: { text: DOCUMENTS[index] } })),
    });
    const tei = await post(`${url}/rerank`, { query: QUERY, texts: DOCUMENTS, return_text: false });
    expect(tei.json).toEqual(await engine());
    // TEI's raw_scores: the engine's logits, untouched.
    const raw = await post(`${url}/rerank`, { query: QUERY, texts: DOCUMENTS, raw_scores: true });
    expect(raw.json).toEqual(await encoder.rerank(QUERY, DOCUMENTS));
    const cohere = await post(`${url}/v2/rerank`, { model: 'x', query: QUERY, documents: DOCUMENTS.map((text) => ({ text })), top_n: 2 });
    expect(cohere.json.results).toEqual(expected.map(({ index, score }) => ({ index, relevance_score: score })));
    // vLLM's convention: top_n 0 means every document.
    expect((await post(`${url}/v1/rerank`, { query: QUERY, documents: DOCUMENTS, top_n: 0 })).json.results).toHaveLength(DOCUMENTS.length);
  });

  test('one JSON log line per request, with sizes and status but no text', async () => {
    logs.length = 0;
    await new JinaReranker({ baseUrl: url }).rerank('a secret query', ['a private document'], { topN: 1 });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ method: 'POST', path: '/v1/rerank', route: 'jina', status: 200, documents: 1, topN: 1 });
    expect(typeof logs[0]!.ms).toBe('number');
    expect(JSON.stringify(logs)).not.toMatch(/secret|private/);
  });
});

describe('health, readiness and metrics', () => {
  test('/health answers at once, /ready and the rerank routes wait for the model', async () => {
    let resolve!: (reranker: Reranker) => void;
    const { url } = await start({ reranker: new Promise<Reranker>((r) => (resolve = r)) });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/ready`)).status).toBe(503);
    const early = await post(`${url}/v1/rerank`, { query: 'q', documents: ['a'] });
    expect(early.status).toBe(503);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(early.json.error.message).toMatch(/still loading/);
    const held = new HeldReranker();
    resolve(held);
    await until(async () => (await fetch(`${url}/ready`)).status === 200);
  });

  test('/metrics counts requests by route and status, latency, documents scored and the queue', async () => {
    const held = new HeldReranker();
    const { url } = await start({ reranker: held, concurrency: 1, maxQueue: 4 });
    const pending = [0, 1, 2].map(() => post(`${url}/rerank`, { query: 'q', texts: ['a', 'b'] }));
    await until(() => held.held === 1);
    await until(async () => /crossrank_queue_depth 2/.test(await (await fetch(`${url}/metrics`)).text()));
    const during = await (await fetch(`${url}/metrics`)).text();
    expect(during).toMatch(/^crossrank_in_flight 1$/m);
    while (held.calls < 3 || held.held > 0) {
      held.release();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200, 200]);
    await post(`${url}/rerank`, 'not json');
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await response.text();
    expect(text).toMatch(/^crossrank_requests_total\{route="tei",status="200"\} 3$/m);
    expect(text).toMatch(/^crossrank_requests_total\{route="tei",status="400"\} 1$/m);
    expect(text).toMatch(/^crossrank_request_duration_seconds_count\{route="tei"\} 4$/m);
    expect(text).toMatch(/^crossrank_request_duration_seconds_bucket\{route="tei",le="\+Inf"\} 4$/m);
    expect(text).toMatch(/^crossrank_documents_scored_total 6$/m);
    expect(text).toMatch(/^crossrank_queue_depth 0$/m);
    expect(text).toMatch(/^crossrank_ready 1$/m);
  });
});

describe('refusing load it cannot take', () => {
  test('a full queue answers 429 with Retry-After at once; the accepted requests still finish', async () => {
    const held = new HeldReranker();
    const { url } = await start({ reranker: held, concurrency: 1, maxQueue: 2 });
    const accepted = [0, 1, 2].map(() => post(`${url}/v1/rerank`, { query: 'q', documents: ['a', 'b'] }));
    await until(() => held.held === 1);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the other two reach the queue
    const refused = await Promise.all([0, 1].map(() => post(`${url}/v1/rerank`, { query: 'q', documents: ['a'] })));
    for (const response of refused) {
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.json.error).toMatchObject({ limit: 'maxQueue', max: 2, code: 429 });
    }
    expect(held.calls).toBe(1);
    while (held.calls < 3 || held.held > 0) {
      held.release();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await Promise.all(accepted)).map((r) => r.status)).toEqual([200, 200, 200]);
  });

  test('crossrank clients retry a 429 after its Retry-After and get through', async () => {
    const held = new HeldReranker();
    const { url } = await start({ reranker: held, concurrency: 1, maxQueue: 0 });
    const first = post(`${url}/rerank`, { query: 'q', texts: ['a'] });
    await until(() => held.held === 1);
    const retried = new TeiReranker({ baseUrl: url, maxRetries: 3 }).rerank('q', ['a', 'b']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    held.release();
    await until(() => held.calls === 2);
    held.release();
    await expect(retried).resolves.toEqual([{ index: 0, score: 1 }, { index: 1, score: 0.5 }]);
    expect((await first).status).toBe(200);
  });

  test('body size, document count and document length limits, each named in a JSON error', async () => {
    const { url } = await start({ reranker: new HeldReranker(), limits: { maxBodyBytes: 2048, maxDocuments: 3, maxDocumentChars: 50 } });
    const big = await post(`${url}/v2/rerank`, { query: 'q', documents: ['x'.repeat(3000)] });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ limit: 'maxBodyBytes', max: 2048 });
    expect(big.json.message).toMatch(/maxBodyBytes 2048/);

    const many = await post(`${url}/v1/rerank`, { query: 'q', documents: ['a', 'b', 'c', 'd'] });
    expect(many.status).toBe(400);
    expect(many.json.error).toMatchObject({ limit: 'maxDocuments', max: 3 });
    expect(many.json.error.message).toMatch(/4 > maxDocuments 3/);

    const long = await post(`${url}/rerank`, { query: 'q', texts: ['short', 'y'.repeat(51)] });
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ limit: 'maxDocumentChars', max: 50, error_type: 'Validation' });
    expect(long.json.error).toMatch(/Document 1 is 51 characters > maxDocumentChars 50/);

    // Through a client: the limit reaches the caller's error message.
    const error = await new JinaReranker({ baseUrl: url, maxRetries: 0 }).rerank('q', ['a', 'b', 'c', 'd', 'e']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect((error as ProviderHttpError).providerMessage).toMatch(/maxDocuments 3/);
  });

  test('malformed requests get a 400 that says what is wrong; other paths 404, wrong methods 405', async () => {
    const { url } = await start({ reranker: new HeldReranker() });
    expect(await post(`${url}/v1/rerank`, '{"query": ')).toMatchObject({ status: 400, json: { error: { message: 'The body is not valid JSON.' } } });
    expect((await post(`${url}/v1/rerank`, { query: 1, documents: [] })).json.error.message).toBe('"query" must be a string.');
    expect((await post(`${url}/v2/rerank`, { query: 'q', documents: [1] })).json.message).toMatch(/"documents\[0\]" must be a string/);
    expect((await post(`${url}/v1/rerank`, { query: 'q', documents: ['a'], top_n: 1.5 })).status).toBe(400);
    // This reranker's scores are already in [0, 1]: there are no raw ones to give.
    expect((await post(`${url}/rerank`, { query: 'q', texts: ['a'], raw_scores: true })).json.error).toMatch(/raw_scores/);
    expect((await post(`${url}/v9/rerank`, {})).status).toBe(404);
    expect((await fetch(`${url}/v1/rerank`)).status).toBe(405);
  });
});

describe('auth', () => {
  test('rerank routes need the bearer key; probes do not', async () => {
    const { url } = await start({ reranker: new HeldReranker(), apiKey: 'serve-key', maxQueue: 0 });
    const missing = await post(`${url}/v1/rerank`, { query: 'q', documents: ['a'] });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post(`${url}/v1/rerank`, { query: 'q', documents: ['a'] }, { authorization: 'Bearer serve-kez' })).status).toBe(401);
    expect((await post(`${url}/v1/rerank`, { query: 'q', documents: ['a'] }, { authorization: 'serve-key' })).status).toBe(401);
    const error = await new CohereReranker({ baseUrl: url, apiKey: 'wrong', maxRetries: 0 }).rerank('q', ['a']).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  });

  test('the right key gets through', async () => {
    const reranker: Reranker = { rerank: async (_q, documents) => documents.map((_, index) => ({ index, score: 0.5 })) };
    const { url } = await start({ reranker, apiKey: 'serve-key' });
    await expect(new JinaReranker({ baseUrl: url, apiKey: 'serve-key' }).rerank('q', ['a', 'b'])).resolves.toEqual([
      { index: 0, score: 0.5 },
      { index: 1, score: 0.5 },
    ]);
  });
});

describe('close()', () => {
  test('stops accepting, finishes the requests under way, then resolves', async () => {
    const held = new HeldReranker();
    const server = createRerankServer({ reranker: held });
    const { url } = await server.listen(0);
    const underWay = post(`${url}/v2/rerank`, { query: 'q', documents: ['a', 'b'] });
    await until(() => held.held === 1);
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    held.release();
    const response = await underWay;
    expect(response.status).toBe(200);
    expect(response.json.results).toEqual([{ index: 0, relevance_score: 1 }, { index: 1, relevance_score: 0.5 }]);
    await closing;
    expect(closed).toBe(true);
  });

  test('a client that goes away while queued leaves the queue and is not scored', async () => {
    const held = new HeldReranker();
    const { url } = await start({ reranker: held, concurrency: 1, maxQueue: 4 });
    const first = post(`${url}/rerank`, { query: 'q', texts: ['a'] });
    await until(() => held.held === 1);
    const controller = new AbortController();
    const leaving = fetch(`${url}/rerank`, { method: 'POST', body: JSON.stringify({ query: 'q', texts: ['b'] }), signal: controller.signal }).catch(() => 'aborted');
    await until(async () => /crossrank_queue_depth 1/.test(await (await fetch(`${url}/metrics`)).text()));
    controller.abort();
    expect(await leaving).toBe('aborted');
    await until(async () => /crossrank_queue_depth 0/.test(await (await fetch(`${url}/metrics`)).text()));
    held.release();
    expect((await first).status).toBe(200);
    expect(held.calls).toBe(1);
  });
});
