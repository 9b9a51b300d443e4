import { InvalidInputError, RerankAbortedError } from './errors';
import { rankScores, throwIfAborted, validateRerankArgs } from './ranking';

describe('rankScores', () => {
  it('sorts by score descending and breaks ties by original index', () => {
    const ranked = rankScores([0.2, 0.9, 0.5, 0.9, 0.1]);
    expect(ranked.map((r) => r.index)).toEqual([1, 3, 2, 0, 4]);
    expect(ranked[0]).toEqual({ index: 1, score: 0.9 });
  });

  it('applies the threshold before topN', () => {
    const scores = [0.95, 0.2, 0.6, 0.7, 0.1];
    expect(rankScores(scores, { scoreThreshold: 0.65, topN: 3 }).map((r) => r.index)).toEqual([0, 3]);
    expect(rankScores(scores, { topN: 2 }).map((r) => r.index)).toEqual([0, 3]);
    expect(rankScores(scores, { scoreThreshold: 0.6 }).map((r) => r.index)).toEqual([0, 3, 2]);
  });

  it('keeps a score equal to the threshold and returns nothing for topN 0', () => {
    expect(rankScores([0.5, 0.4], { scoreThreshold: 0.5 })).toEqual([{ index: 0, score: 0.5 }]);
    expect(rankScores([0.5, 0.4], { topN: 0 })).toEqual([]);
  });

  it('drops NaN scores under a threshold rather than ranking them', () => {
    expect(rankScores([Number.NaN, 0.3], { scoreThreshold: 0 }).map((r) => r.index)).toEqual([1]);
  });
});

describe('validateRerankArgs', () => {
  it('rejects a non-string query', () => {
    expect(() => validateRerankArgs(42, ['a'])).toThrow(InvalidInputError);
    expect(() => validateRerankArgs(undefined, ['a'])).toThrow(/query must be a string/);
  });

  it('names the index of a non-string document', () => {
    expect(() => validateRerankArgs('q', ['a', { pageContent: 'b' }, 'c'])).toThrow(/documents\[1\] must be a string, got an object/);
    expect(() => validateRerankArgs('q', 'not an array')).toThrow(/documents must be an array/);
  });

  it('rejects bad options with the option named', () => {
    expect(() => validateRerankArgs('q', [], { topN: -1 })).toThrow(/options\.topN/);
    expect(() => validateRerankArgs('q', [], { topN: 1.5 })).toThrow(/options\.topN/);
    expect(() => validateRerankArgs('q', [], { scoreThreshold: Number.NaN })).toThrow(/options\.scoreThreshold/);
  });

  it('accepts empty strings as documents and an empty query', () => {
    expect(() => validateRerankArgs('', ['', ' '])).not.toThrow();
  });
});

describe('throwIfAborted', () => {
  it('throws a RerankAbortedError carrying the reason', () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal)).not.toThrow();
    controller.abort(new Error('user left'));
    expect(() => throwIfAborted(controller.signal)).toThrow(RerankAbortedError);
    expect(() => throwIfAborted(controller.signal)).toThrow(/user left/);
  });
});
