import { dcgAtK, meanMetrics, metricNames, ndcgAtK, recallAtK, reciprocalRankAtK, scoreQuery } from './metrics.js';

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('dcgAtK', () => {
  test('discounts rank r by log2(r + 1) with linear gains', () => {
    // gains 3, 2, 0, 1 at ranks 1..4: 3/log2(2) + 2/log2(3) + 0 + 1/log2(5)
    expect(dcgAtK([3, 2, 0, 1], 10)).toBeCloseTo(3 + 2 / Math.log2(3) + 1 / Math.log2(5), 12);
  });

  test('stops at k and ignores non-positive gains', () => {
    expect(dcgAtK([3, 2, 1], 1)).toBe(3);
    expect(dcgAtK([-1, 0, 2], 10)).toBeCloseTo(2 / Math.log2(4), 12);
  });
});

describe('ndcgAtK', () => {
  test('uses linear gains, not 2^g - 1', () => {
    // One grade-3 and one grade-1 document, retrieved in the wrong order:
    // DCG = 1 + 3/log2(3); ideal = 3 + 1/log2(3). With exponential gains it would be (1 + 7/log2 3)/(7 + 1/log2 3).
    const value = ndcgAtK(['low', 'high'], judged({ high: 3, low: 1 }), 10);
    expect(value).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 12);
    expect(value).not.toBeCloseTo((1 + 7 / Math.log2(3)) / (7 + 1 / Math.log2(3)), 3);
  });

  test('builds the ideal ranking from every judged relevant document, retrieved or not', () => {
    // Only `a` (grade 2) is retrieved; `b` (grade 1) is judged but missing. DCG = 2; ideal = 2 + 1/log2(3).
    expect(ndcgAtK(['a', 'x'], judged({ a: 2, b: 1 }), 10)).toBeCloseTo(2 / (2 + 1 / Math.log2(3)), 12);
  });

  test('cuts the ideal ranking at k too', () => {
    // k = 1: DCG = 1 (grade-1 doc first); ideal@1 = 3 (the grade-3 doc alone).
    expect(ndcgAtK(['b', 'a'], judged({ a: 3, b: 1 }), 1)).toBeCloseTo(1 / 3, 12);
  });

  test('counts unjudged and negatively graded documents as gain 0', () => {
    // `neg` (-2) and `unjudged` give nothing; `a` at rank 3: DCG = 2/log2(4) = 1; ideal = 2.
    expect(ndcgAtK(['neg', 'unjudged', 'a'], judged({ a: 2, neg: -2 }), 10)).toBeCloseTo(0.5, 12);
  });

  test('is 1 for the ideal order and 0 when the query has no relevant judgment', () => {
    expect(ndcgAtK(['a', 'b', 'c'], judged({ a: 3, b: 2, c: 1 }), 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['a', 'b'], judged({ a: 0, b: 0 }), 10)).toBe(0);
  });
});

describe('reciprocalRankAtK', () => {
  const grades = judged({ a: 1, b: 2, c: 3 });

  test('is 1/rank of the first document at or above the relevance level', () => {
    expect(reciprocalRankAtK(['x', 'a', 'b', 'c'], grades, 10, 2)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAtK(['x', 'a', 'b', 'c'], grades, 10, 1)).toBeCloseTo(1 / 2, 12);
    expect(reciprocalRankAtK(['x', 'a', 'b', 'c'], grades, 10, 3)).toBeCloseTo(1 / 4, 12);
  });

  test('is 0 when the first relevant document is past k', () => {
    expect(reciprocalRankAtK(['x', 'a', 'b'], grades, 2, 2)).toBe(0);
  });
});

describe('recallAtK', () => {
  const grades = judged({ a: 2, b: 3, c: 1, d: 2 });

  test('divides relevant retrieved in the top k by every relevant judged document', () => {
    // relevant at level 2: a, b, d (3 documents; d never retrieved).
    expect(recallAtK(['a', 'c', 'b'], grades, 2, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(['a', 'c', 'b'], grades, 3, 2)).toBeCloseTo(2 / 3, 12);
    // level 1 adds c: 3 of 4.
    expect(recallAtK(['a', 'c', 'b'], grades, 3, 1)).toBeCloseTo(3 / 4, 12);
  });

  test('is 0 when nothing is relevant at that level', () => {
    expect(recallAtK(['c'], judged({ c: 1 }), 10, 2)).toBe(0);
  });
});

describe('scoreQuery and meanMetrics', () => {
  const spec = { recallDepths: [1, 5], relLevel: 2 };

  test('names the metrics in print order', () => {
    expect(metricNames(spec)).toEqual(['nDCG@10', 'MRR@10', 'Recall@1', 'Recall@5']);
  });

  test('computes every metric for one query', () => {
    // Ranking b (3), x, a (2): DCG = 3 + 2/log2(4) = 4; ideal = 3 + 2/log2(3).
    const values = scoreQuery(['b', 'x', 'a'], judged({ a: 2, b: 3 }), spec);
    expect(values['nDCG@10']).toBeCloseTo(4 / (3 + 2 / Math.log2(3)), 12);
    expect(values['MRR@10']).toBe(1);
    expect(values['Recall@1']).toBeCloseTo(0.5, 12);
    expect(values['Recall@5']).toBe(1);
  });

  test('averages each metric over queries', () => {
    const mean = meanMetrics([{ m: 1, n: 0.5 }, { m: 0, n: 0.25 }], ['m', 'n']);
    expect(mean).toEqual({ m: 0.5, n: 0.375 });
    expect(meanMetrics([], ['m'])).toEqual({ m: 0 });
  });
});
