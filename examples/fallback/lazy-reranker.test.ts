import type { Reranker } from '@crossrank/core';
import { LazyReranker } from './lazy-reranker';

const fixed: Reranker = { rerank: async (_query, documents) => documents.map((_, index) => ({ index, score: 1 - index / 10 })) };

describe('LazyReranker', () => {
  it('creates the reranker on the first rerank call only, once, even for concurrent calls', async () => {
    const create = jest.fn(() => fixed);
    const lazy = new LazyReranker('fixed', create);
    expect(create).not.toHaveBeenCalled();
    await expect(lazy.created()).resolves.toBeUndefined();
    const [a, b] = await Promise.all([lazy.rerank('q', ['x', 'y']), lazy.rerank('q', ['z'])]);
    expect(a).toEqual([{ index: 0, score: 1 }, { index: 1, score: 0.9 }]);
    expect(b).toEqual([{ index: 0, score: 1 }]);
    expect(create).toHaveBeenCalledTimes(1);
    await expect(lazy.created()).resolves.toBe(fixed);
  });

  it('turns a creation failure, thrown or rejected, into a rejection of every call', async () => {
    const error = new Error('no key');
    const create = jest.fn((): Reranker => {
      throw error;
    });
    const lazy = new LazyReranker('broken', create);
    await expect(lazy.rerank('q', ['x'])).rejects.toBe(error);
    await expect(lazy.rerank('q', ['x'])).rejects.toBe(error);
    expect(create).toHaveBeenCalledTimes(1);
    await expect(lazy.created()).resolves.toBeUndefined();
    await expect(new LazyReranker('async', () => Promise.reject(error)).rerank('q', ['x'])).rejects.toBe(error);
  });
});
