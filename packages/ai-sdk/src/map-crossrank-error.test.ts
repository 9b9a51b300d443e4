import { APICallError, InvalidArgumentError } from '@ai-sdk/provider';
import { AllRerankersFailedError, InvalidInputError, ModelNotFoundError, RerankAbortedError } from '@crossrank/core';
import { ProviderHttpError, ProviderNetworkError, ProviderResponseError, ProviderTimeoutError } from '@crossrank/api';
import { describe, expect, it } from 'vitest';
import { mapCrossrankError } from './map-crossrank-error.js';

function attempted<E extends { attempts: number }>(error: E, attempts: number): E {
  error.attempts = attempts;
  return error;
}

describe('mapCrossrankError', () => {
  it('InvalidInputError -> InvalidArgumentError naming the argument, original as cause', () => {
    const original = new InvalidInputError('documents[3] must be a string, got number 5.');
    const mapped = mapCrossrankError(original, {});
    expect(InvalidArgumentError.isInstance(mapped)).toBe(true);
    expect(mapped).toMatchObject({ argument: 'documents', message: original.message, cause: original });
    expect(mapCrossrankError(new InvalidInputError('options.topN must be a non-negative integer, got number -1.'), {})).toMatchObject({ argument: 'topN' });
  });

  const transient: [string, () => Error & { attempts: number }][] = [
    ['HTTP 429', () => new ProviderHttpError('Cohere', { status: 429, retryAfterMs: 1500 })],
    ['HTTP 503', () => new ProviderHttpError('Cohere', { status: 503 })],
    ['a timeout', () => new ProviderTimeoutError('Cohere', 30_000)],
    ['a network error', () => new ProviderNetworkError('Cohere', 'connection refused')],
  ];
  it.each(transient)('%s after one attempt is a retryable APICallError (ai retries)', (_, make) => {
    const mapped = mapCrossrankError(make(), { url: 'http://127.0.0.1:8080/v2/rerank' });
    expect(APICallError.isInstance(mapped)).toBe(true);
    expect(mapped).toMatchObject({ isRetryable: true, url: 'http://127.0.0.1:8080/v2/rerank' });
  });
  it.each(transient)('%s after crossrank retried it is final (isRetryable: false)', (_, make) => {
    expect(mapCrossrankError(attempted(make(), 4), {})).toMatchObject({ isRetryable: false, data: { attempts: 4 } });
  });

  it("passes the server's Retry-After on, so ai waits what it asked", () => {
    const mapped = mapCrossrankError(new ProviderHttpError('Cohere', { status: 429, retryAfterMs: 1500 }), {}) as APICallError;
    expect(mapped.responseHeaders).toEqual({ 'retry-after-ms': '1500' });
    expect(mapped.statusCode).toBe(429);
  });

  it('4xx other than 429 and malformed bodies are not retryable', () => {
    expect(mapCrossrankError(new ProviderHttpError('Jina', { status: 401 }), {})).toMatchObject({ statusCode: 401, isRetryable: false });
    expect(mapCrossrankError(new ProviderResponseError('Jina', 'no results'), {})).toMatchObject({ isRetryable: false });
  });

  it('an abort becomes the signal reason (an AbortError), which ai never retries', () => {
    const controller = new AbortController();
    controller.abort();
    const mapped = mapCrossrankError(new RerankAbortedError('aborted'), { signal: controller.signal });
    expect(mapped).toBe(controller.signal.reason);
    expect(mapped).toMatchObject({ name: 'AbortError' });
    const withString = new AbortController();
    withString.abort('stop');
    expect(mapCrossrankError(new RerankAbortedError('aborted'), { signal: withString.signal })).toMatchObject({ name: 'AbortError' });
  });

  it('leaves other errors alone: ai does not retry what is not an APICallError', () => {
    for (const error of [new ModelNotFoundError('no model', ['/x']), new AllRerankersFailedError(['a'], [new Error('x')]), new TypeError('bug'), 'text']) {
      expect(mapCrossrankError(error, {})).toBe(error);
    }
  });

  it('recognises crossrank errors by code, so a second installed copy of crossrank maps too', () => {
    const foreign = Object.assign(new Error('query must be a string, got undefined.'), { code: 'CROSSRANK_INVALID_INPUT' });
    expect(mapCrossrankError(foreign, {})).toMatchObject({ argument: 'query' });
    const http = Object.assign(new Error('HTTP 502'), { code: 'CROSSRANK_PROVIDER_HTTP', status: 502, attempts: 1, provider: 'TEI' });
    expect(mapCrossrankError(http, {})).toMatchObject({ statusCode: 502, isRetryable: true });
  });
});
