// The retry policy on its own, and Retry-After honoured end to end on the fetch path.
import { rankScores } from '@crossrank/core';
import { ProviderHttpError, ProviderNetworkError, ProviderResponseError, ProviderTimeoutError } from './errors.js';
import { JinaReranker } from './jina.js';
import { backoffDelay, isRetryable, parseRetryAfter, withRetries, type RetryPolicy } from './retry.js';
import { honestResults, makeDocuments, PROTOCOLS } from './test-protocols.js';
import { closeAllServers, sendJson, startServer } from './test-server.js';

afterEach(closeAllServers);

const policy: RetryPolicy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  test.each([
    ['5', 5000],
    [' 0 ', 0],
    ['1.5', 1500],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
  ])('%j → %d ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
  test.each([[null], [undefined], [''], ['soon'], ['-3']])('%j → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

test('backoff is full jitter under a doubling cap', () => {
  expect(backoffDelay(0, { ...policy, random: () => 1 })).toBe(100);
  expect(backoffDelay(2, { ...policy, random: () => 1 })).toBe(400);
  expect(backoffDelay(10, { ...policy, random: () => 1 })).toBe(1000);
  expect(backoffDelay(2, { ...policy, random: () => 0.5 })).toBe(200);
  expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
});

test('only 429, 5xx, timeouts and network errors are retryable', () => {
  const http = (status: number) => new ProviderHttpError('X', { status });
  expect([429, 500, 503].map((s) => isRetryable(http(s)))).toEqual([true, true, true]);
  expect([400, 401, 404, 422].map((s) => isRetryable(http(s)))).toEqual([false, false, false, false]);
  expect(isRetryable(new ProviderTimeoutError('X', 5))).toBe(true);
  expect(isRetryable(new ProviderNetworkError('X', 'reset'))).toBe(true);
  expect(isRetryable(new ProviderResponseError('X', 'bad'))).toBe(false);
  expect(isRetryable(new Error('other'))).toBe(false);
});

test('withRetries gives up after maxRetries and counts attempts', async () => {
  let calls = 0;
  const failing = () => {
    calls++;
    return Promise.reject(new ProviderNetworkError('X', 'reset'));
  };
  const error = await withRetries(failing, { ...policy, baseDelayMs: 1, maxDelayMs: 1 }, undefined, () => new Error('aborted')).catch((e: unknown) => e);
  expect(calls).toBe(4);
  expect(error).toMatchObject({ attempts: 4 });
  expect((error as Error).message).toMatch(/gave up after 4 attempts/);
});

test('a Retry-After in seconds is waited for even when the backoff would be shorter', async () => {
  const jina = PROTOCOLS.find((p) => p.name === 'Jina')!;
  const server = await startServer((request, res, n) =>
    n === 0
      ? sendJson(res, 503, { detail: 'warming up' }, { 'retry-after': '1' })
      : sendJson(res, 200, jina.respond(honestResults(jina, request.body))),
  );
  const started = Date.now();
  const results = await new JinaReranker({ baseUrl: server.baseUrl, baseDelayMs: 1, maxDelayMs: 1 }).rerank('q', makeDocuments([0.2, 0.6]));
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(results).toEqual(rankScores([0.2, 0.6]));
  expect(server.requests).toHaveLength(2);
});
