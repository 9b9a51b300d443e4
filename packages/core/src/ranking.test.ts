import { InvalidInputError, RerankAbortedError } from './errors';
import { rankScores, snapshotRerankArgs, throwIfAborted, UNBOUNDED_SCORE_RANGE, validateRerankArgs } from './ranking';

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

  it('rejects a scoreThreshold outside [0, 1], where scores live (issue 12, item 9)', () => {
    for (const scoreThreshold of [2, -1, 1.0001, -0.0001, Infinity, -Infinity]) {
      expect(() => validateRerankArgs('q', [], { scoreThreshold })).toThrow(/options\.scoreThreshold must be a number in \[0, 1\]/);
    }
    for (const scoreThreshold of [0, 0.5, 1]) expect(() => validateRerankArgs('q', [], { scoreThreshold })).not.toThrow();
  });

  it('checks scoreThreshold against the reranker\'s own score range: any finite number for raw logits', () => {
    for (const scoreThreshold of [-3.5, 0, 12]) {
      expect(() => validateRerankArgs('q', [], { scoreThreshold }, UNBOUNDED_SCORE_RANGE)).not.toThrow();
    }
    for (const scoreThreshold of [NaN, Infinity, -Infinity]) {
      expect(() => validateRerankArgs('q', [], { scoreThreshold }, UNBOUNDED_SCORE_RANGE)).toThrow(/options\.scoreThreshold must be a finite number/);
    }
  });

  it('rejects a signal that is not an AbortSignal instead of ignoring it (issue 12, item 9)', () => {
    for (const signal of ['nope', {}, { aborted: true }, null, 1]) {
      expect(() => validateRerankArgs('q', [], { signal } as never)).toThrow(/options\.signal must be an AbortSignal/);
    }
    expect(() => validateRerankArgs('q', [], { signal: new AbortController().signal })).not.toThrow();
  });

  it('accepts empty strings as documents and an empty query', () => {
    expect(() => validateRerankArgs('', ['', ' '])).not.toThrow();
  });
});

describe('snapshotRerankArgs', () => {
  it('copies the documents and options, so later changes by the caller do not reach the call (issue 12, item 7)', () => {
    const documents = ['a', 'b', 'c'];
    const options = { topN: 2, scoreThreshold: 0.1 };
    const args = snapshotRerankArgs('q', documents, options);
    documents.length = 1;
    options.topN = 0;
    expect(args.documents).toEqual(['a', 'b', 'c']);
    expect(args.options).toEqual({ topN: 2, scoreThreshold: 0.1 });
  });

  it('reads every slot once: a hole or a getter that changes its answer is checked as it was read', () => {
    expect(() => snapshotRerankArgs('q', ['a', , 'b'])).toThrow(/documents\[1\] must be a string, got undefined/);
    let reads = 0;
    const tricky = ['a', 'b'];
    Object.defineProperty(tricky, 1, { get: () => (reads++ === 0 ? 'b' : 42) });
    const args = snapshotRerankArgs('q', tricky);
    expect(args.documents).toEqual(['a', 'b']);
    expect(reads).toBe(1);
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
