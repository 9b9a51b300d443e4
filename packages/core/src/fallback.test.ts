import { AllRerankersFailedError, CrossrankError, InvalidInputError, RerankAbortedError } from './errors.js';
import type { RerankOptions, RerankResult, Reranker } from './reranker.js';
import { FallbackReranker, type FallbackEvent } from './fallback.js';

/** A scripted backend: answers with `results`, or fails with `error`, and records its calls. */
class FakeReranker implements Reranker {
  calls: Array<{ query: string; documents: readonly string[]; options?: RerankOptions }> = [];
  constructor(
    private readonly behaviour: { results?: RerankResult[]; error?: unknown; hang?: boolean },
    readonly model?: string,
  ) {}
  async rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> {
    this.calls.push({ query, documents, options });
    if (this.behaviour.hang) {
      return new Promise((_resolve, reject) => {
        options?.signal?.addEventListener('abort', () => reject(new RerankAbortedError('aborted')));
      });
    }
    if (this.behaviour.error !== undefined) throw this.behaviour.error;
    return this.behaviour.results!;
  }
}

// A provider's failure as @crossrank/api reports it (that package depends on this one, not the reverse).
const down = () => new CrossrankError('Cohere rerank request failed with HTTP 503 (Service Unavailable).');

test('the primary serves when it works; the fallbacks are not called', async () => {
  const primary = new FakeReranker({ results: [{ index: 1, score: 0.9 }] });
  const backup = new FakeReranker({ results: [{ index: 0, score: 0.1 }] });
  const onFallback = jest.fn();
  const fallback = new FallbackReranker([primary, backup], { onFallback });

  const served = await fallback.rerankWithSource('q', ['a', 'b'], { topN: 1 });

  expect(served).toEqual({ results: [{ index: 1, score: 0.9 }], servedBy: 0, name: 'FakeReranker' });
  expect(fallback.lastServedBy).toBe(0);
  expect(primary.calls).toEqual([{ query: 'q', documents: ['a', 'b'], options: { topN: 1 } }]);
  expect(backup.calls).toHaveLength(0);
  expect(onFallback).not.toHaveBeenCalled();
});

test('a failing primary hands over to the next, and onFallback says who failed, why, and who is next', async () => {
  const error = down();
  const primary = new FakeReranker({ error }, 'rerank-v3.5');
  const backup = new FakeReranker({ results: [{ index: 0, score: 0.4 }] }, 'local-minilm');
  const events: FallbackEvent[] = [];
  const fallback = new FallbackReranker([primary, backup], { onFallback: (event) => events.push(event) });

  const results = await fallback.rerank('q', ['a']);

  expect(results).toEqual([{ index: 0, score: 0.4 }]);
  expect(fallback.lastServedBy).toBe(1);
  expect(backup.calls).toHaveLength(1);
  expect(events).toEqual([{ failed: 0, failedName: 'FakeReranker(rerank-v3.5)', error, next: 1, nextName: 'FakeReranker(local-minilm)' }]);
});

test('when all fail: AllRerankersFailedError with every error, in order', async () => {
  const first = down();
  const second = new Error('model file missing');
  const fallback = new FallbackReranker([new FakeReranker({ error: first }), new FakeReranker({ error: second })]);
  fallback.lastServedBy = 0;

  const error = await fallback.rerank('q', ['a']).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AllRerankersFailedError);
  expect((error as AllRerankersFailedError).errors).toEqual([first, second]);
  expect((error as Error).message).toMatch(/0\. FakeReranker: Cohere rerank request failed with HTTP 503[\s\S]*1\. FakeReranker: model file missing/);
  expect(fallback.lastServedBy).toBeUndefined();
});

test('an abort is not a failure: it is thrown at once and no fallback is tried', async () => {
  const primary = new FakeReranker({ hang: true });
  const backup = new FakeReranker({ results: [] });
  const onFallback = jest.fn();
  const controller = new AbortController();
  const pending = new FallbackReranker([primary, backup], { onFallback }).rerank('q', ['a'], { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toThrow(RerankAbortedError);
  expect(backup.calls).toHaveLength(0);
  expect(onFallback).not.toHaveBeenCalled();
});

test('invalid input is not a failure either: nothing is called', async () => {
  const primary = new FakeReranker({ results: [] });
  const backup = new FakeReranker({ results: [] });
  const fallback = new FallbackReranker([primary, backup]);
  await expect(fallback.rerank('q', 'not an array' as never)).rejects.toThrow(InvalidInputError);
  await expect(fallback.rerank('q', ['a'], { topN: 1.5 })).rejects.toThrow(InvalidInputError);
  expect(primary.calls).toHaveLength(0);
  expect(backup.calls).toHaveLength(0);
});

test('an InvalidInputError raised by a backend is passed through, not fallen back from', async () => {
  const fallback = new FallbackReranker([new FakeReranker({ error: new InvalidInputError('too long') }), new FakeReranker({ results: [] })]);
  await expect(fallback.rerank('q', ['a'])).rejects.toThrow('too long');
});

test('construction checks its arguments', () => {
  expect(() => new FallbackReranker([])).toThrow(InvalidInputError);
  expect(() => new FallbackReranker([{} as never])).toThrow(/rerankers\[0\]/);
  expect(() => new FallbackReranker([new FakeReranker({})], { onFallback: 1 as never })).toThrow(/onFallback/);
});
