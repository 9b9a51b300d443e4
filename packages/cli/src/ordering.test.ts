import { InvalidRerankResultError } from './errors.js';
import { firstStageOrder, rerankedOrder } from './ordering.js';

const c = (docid: string, rank: number, score = 0) => ({ docid, text: docid, rank, score });

describe('firstStageOrder', () => {
  test('orders by rank, then by score descending, then by input position; never mutates', () => {
    const input = [c('late', 3, 9), c('tieLow', 2, 1), c('first', 1, 0), c('tieHigh', 2, 5), c('tieSame', 2, 1)];
    const snapshot = JSON.stringify(input);
    expect(firstStageOrder(input).map((x) => x.docid)).toEqual(['first', 'tieHigh', 'tieLow', 'tieSame', 'late']);
    expect(JSON.stringify(input)).toBe(snapshot);
  });
});

describe('rerankedOrder', () => {
  const docs = ['a', 'b', 'c', 'd', 'e'];

  test('orders the reranked head by score, ties by first-stage position, and keeps the tail', () => {
    const results = [
      { index: 2, score: 0.9 },
      { index: 0, score: 0.5 },
      { index: 1, score: 0.5 },
    ];
    expect(rerankedOrder(docs, 3, results)).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  test('re-sorts results a backend returned out of order', () => {
    const results = [
      { index: 1, score: 0.5 },
      { index: 0, score: 0.5 },
      { index: 2, score: 0.9 },
    ];
    expect(rerankedOrder(docs, 3, results)).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  test('puts head documents the backend left out after the scored ones, in first-stage order', () => {
    expect(rerankedOrder(docs, 4, [{ index: 3, score: 0.1 }])).toEqual(['d', 'a', 'b', 'c', 'e']);
  });

  test('handles a depth beyond the list', () => {
    expect(rerankedOrder(['a', 'b'], 100, [{ index: 1, score: 1 }, { index: 0, score: 0 }])).toEqual(['b', 'a']);
  });

  test.each([
    ['an index past the head', [{ index: 3, score: 1 }], /index 3 for 3 documents/],
    ['a negative index', [{ index: -1, score: 1 }], /index -1/],
    ['a repeated index', [{ index: 0, score: 1 }, { index: 0, score: 0.5 }], /index 0 for 3 documents/],
    ['a score that is not a number', [{ index: 0, score: Number.NaN }], /score NaN for index 0/],
  ])('rejects %s', (_what, results, message) => {
    expect(() => rerankedOrder(docs, 3, results)).toThrow(InvalidRerankResultError);
    expect(() => rerankedOrder(docs, 3, results)).toThrow(message);
  });
});
