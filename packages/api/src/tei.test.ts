// TEI specifics: batching at its client batch limit, raw scores, optional key.
import { InvalidInputError } from '@crossrank/core';
import { rankScores } from '@crossrank/core';
import { sigmoid } from '@crossrank/core';
import { ProviderHttpError, ProviderResponseError } from './errors.js';
import { TeiReranker } from './tei.js';
import { makeDocuments, scoreOf } from './test-protocols.js';
import { closeAllServers, loadFixture, sendJson, startServer } from './test-server.js';

const savedKey = process.env.TEI_API_KEY;
afterEach(async () => {
  if (savedKey === undefined) delete process.env.TEI_API_KEY;
  else process.env.TEI_API_KEY = savedKey;
  await closeAllServers();
});

/** Behaves like TEI with the default --max-client-batch-size 32: 422 beyond it, sorted answers. */
function teiServer(maxBatch = 32) {
  return startServer((request, res) => {
    const texts: string[] = request.body.texts;
    if (texts.length > maxBatch) {
      return sendJson(res, 422, { error: `batch size ${texts.length} > maximum allowed batch size ${maxBatch}`, error_type: 'Validation' });
    }
    const results = texts.map((text, index) => ({ index, score: scoreOf(text) })).sort((a, b) => b.score - a.score);
    sendJson(res, 200, results);
  });
}

test('70 texts go out as 32 + 32 + 6 and come back as one ranking over the caller indices', async () => {
  const server = await teiServer();
  // The best document sits in the last batch, at caller index 66.
  const scores = Array.from({ length: 70 }, (_, i) => (i === 66 ? 0.99 : ((i * 37) % 70) / 100));
  const documents = makeDocuments(scores);

  const results = await new TeiReranker({ baseUrl: server.baseUrl, concurrency: 1 }).rerank('what?', documents, { topN: 10 });

  expect(server.requests.map((r) => r.body.texts)).toEqual([documents.slice(0, 32), documents.slice(32, 64), documents.slice(64)]);
  expect(server.requests.every((r) => r.body.query === 'what?' && !('top_n' in r.body))).toBe(true);
  expect(results).toEqual(rankScores(scores, { topN: 10 }));
  expect(results[0]).toEqual({ index: 66, score: 0.99 });
});

test('batches in parallel by default and still merges correctly', async () => {
  const server = await teiServer();
  const scores = Array.from({ length: 200 }, (_, i) => ((i * 61) % 200) / 200);
  const results = await new TeiReranker({ baseUrl: server.baseUrl }).rerank('q', makeDocuments(scores));
  expect(server.requests).toHaveLength(7);
  expect(results).toEqual(rankScores(scores));
});

test("a batchSize above the server's limit fails with TEI's own message, without retrying", async () => {
  const server = await teiServer();
  const error = await new TeiReranker({ baseUrl: server.baseUrl, batchSize: 64 })
    .rerank('q', makeDocuments(Array.from({ length: 70 }, () => 0.5)))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProviderHttpError);
  expect(error).toMatchObject({ status: 422, providerMessage: 'batch size 64 > maximum allowed batch size 32' });
  expect(loadFixture('tei-rerank.error-422.json').error).toMatch(/maximum allowed batch size/);
});

test('rawScores asks for logits and applies the sigmoid here', async () => {
  const logits = [2.5, -1, 0, 7];
  const server = await startServer((request, res) => {
    expect(request.body).toMatchObject({ raw_scores: true, truncate: false, return_text: false });
    sendJson(res, 200, logits.map((score, index) => ({ index, score })));
  });
  const results = await new TeiReranker({ baseUrl: server.baseUrl, rawScores: true, truncate: false }).rerank('q', ['a', 'b', 'c', 'd']);
  expect(results).toEqual(rankScores(logits.map(sigmoid)));
});

test('without rawScores, logits from a misconfigured server are rejected, not passed on', async () => {
  const server = await startServer((_request, res) => sendJson(res, 200, [{ index: 0, score: 4.2 }]));
  await expect(new TeiReranker({ baseUrl: server.baseUrl }).rerank('q', ['a'])).rejects.toThrow(ProviderResponseError);
});

test('the key is optional: none sent by default, TEI_API_KEY or apiKey when set', async () => {
  delete process.env.TEI_API_KEY;
  const server = await teiServer();
  await new TeiReranker({ baseUrl: server.baseUrl }).rerank('q', ['s=0.5 a']);
  process.env.TEI_API_KEY = 'from-env';
  await new TeiReranker({ baseUrl: server.baseUrl }).rerank('q', ['s=0.5 a']);
  await new TeiReranker({ baseUrl: server.baseUrl, apiKey: 'from-option' }).rerank('q', ['s=0.5 a']);
  expect(server.requests.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer from-env', 'Bearer from-option']);
});

test('a trailing slash on baseUrl is fine; a missing or bad baseUrl is a typed error', async () => {
  const server = await teiServer();
  await new TeiReranker({ baseUrl: `${server.baseUrl}/` }).rerank('q', ['s=0.5 a']);
  expect(server.requests[0]!.path).toBe('/rerank');
  expect(() => new TeiReranker(undefined as never)).toThrow(InvalidInputError);
  expect(() => new TeiReranker({} as never)).toThrow(/baseUrl/);
  expect(() => new TeiReranker({ baseUrl: 'tei:8080' })).toThrow(/http/);
  expect(() => new TeiReranker({ baseUrl: 'http://user:pw@tei:8080' })).toThrow(/credentials/);
});
