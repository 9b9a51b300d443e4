import { InvalidInputError } from './errors';
import { snapshotPairs, snapshotPredictOptions } from './predict-args';

describe('snapshotPairs (issue 12, items 4 and 7)', () => {
  it('names holes and empty slots with a typed error instead of a TypeError', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => snapshotPairs([['q', 'a'], , ['q', 'b']])).toThrow(/pairs\[1\] must be a \[query, document\] pair of two strings, got a hole/);
    expect(() => snapshotPairs(new Array(2))).toThrow(InvalidInputError);
    expect(() => snapshotPairs([['q']])).toThrow(/pairs\[0\]/);
    expect(() => snapshotPairs([['q', 1]])).toThrow(/pairs\[0\]/);
    expect(() => snapshotPairs('q')).toThrow(/pairs must be an array/);
  });

  it('returns a copy: changing the pairs afterwards changes nothing', () => {
    const inner: [string, string] = ['q', 'a'];
    const pairs = [inner, ['q', 'b'] as [string, string]];
    const copy = snapshotPairs(pairs);
    inner[1] = 'changed';
    pairs.length = 0;
    expect(copy).toEqual([['q', 'a'], ['q', 'b']]);
  });
});

describe('snapshotPredictOptions', () => {
  it('rejects null, non-objects and a signal that is not an AbortSignal', () => {
    expect(() => snapshotPredictOptions(null)).toThrow(/options must be an object, got null/);
    expect(() => snapshotPredictOptions('x')).toThrow(InvalidInputError);
    expect(() => snapshotPredictOptions({ signal: 'nope' })).toThrow(/options\.signal must be an AbortSignal/);
    const signal = new AbortController().signal;
    expect(snapshotPredictOptions({ signal })).toEqual({ signal });
    expect(snapshotPredictOptions(undefined)).toEqual({});
  });
});
