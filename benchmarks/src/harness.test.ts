import path from 'node:path';
import { BenchUsageError, parseArgs } from './args';
import { pairFlops } from './flops';
import { median, percentile } from './stats';
import { workOf } from './summarize';
import { generateWorkload, PASSAGE_WORDS, scaleCandidates } from './workload';

const paths = { repoRoot: '/repo', benchDir: '/repo/benchmarks', workerPath: '/repo/benchmarks/src/worker.ts' };

describe('pairFlops', () => {
  it('counts the projections, feed-forward and attention of every layer, padding excluded', () => {
    // 1 layer, h 2, ffn 4, 3 tokens: 3 * (2 * (4*2*2 + 2*2*4) + 2*2*3*2) = 3 * (64 + 24)
    expect(pairFlops({ layers: 1, hidden: 2, intermediate: 4 }, 3)).toBe(264);
    expect(pairFlops({ layers: 6, hidden: 2, intermediate: 4 }, 3)).toBe(6 * 264);
  });

  it('sums useful work per row and padded tokens per batch', () => {
    const dims = { layers: 1, hidden: 2, intermediate: 4 };
    const work = workOf([{ rows: 2, paddedLength: 5, lengths: [5, 3] }, { rows: 1, paddedLength: 3, lengths: [3] }], dims);
    expect(work).toEqual({ usefulTokens: 11, paddedTokens: 13, usefulFlops: pairFlops(dims, 5) + 2 * 264, forwardPasses: 2 });
  });
});

describe('percentile', () => {
  it('interpolates between ranks', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48);
  });
});

describe('generateWorkload', () => {
  it('spreads passage lengths like DL19 (10-216 words, median near 55) and is seeded', () => {
    const workload = generateWorkload(40, 20);
    expect(workload.sets).toHaveLength(40);
    expect(workload.sets.every((s) => s.docs.length === 20)).toBe(true);
    const words = workload.pool.map((p) => p.split(' ').length);
    expect(Math.min(...words)).toBeGreaterThanOrEqual(PASSAGE_WORDS.min);
    expect(Math.max(...words)).toBeLessThanOrEqual(PASSAGE_WORDS.max);
    expect(Math.abs(median(words) - PASSAGE_WORDS.median)).toBeLessThan(6);
    expect(generateWorkload(40, 20)).toEqual(workload);
  });

  it('cycles the pool for the scale runs', () => {
    expect(scaleCandidates(['a', 'b'], 5)).toEqual(['a', 'b', 'a', 'b', 'a']);
  });
});

describe('parseArgs', () => {
  it('defaults to the full run and switches everything small with --quick', () => {
    const full = parseArgs([], paths);
    const quick = parseArgs(['--quick'], paths);
    expect(full).toMatchObject({ mode: 'full', shape: 'miniLM', data: 'auto', rounds: 2, scale: [1000, 10000], out: path.resolve('/repo/benchmarks/results') });
    expect(full !== 'help' && full.dataDir).toBe(path.resolve('/shared/data/trec-dl19'));
    expect(quick).toMatchObject({ mode: 'quick', shape: 'tiny', data: 'generated', queries: 3, rounds: 1, scale: [40, 400] });
  });

  it('reads options, extras and --scale none', () => {
    const config = parseArgs(['--rounds', '3', '--scale=none', '--engine', '{"maxBatchTokens":1024}', '--extra', 'small:q8:{"batchSize":4}'], paths);
    expect(config).toMatchObject({ rounds: 3, scale: [], engine: { maxBatchTokens: 1024 }, extras: [{ label: 'small', dtype: 'q8', options: { batchSize: 4 } }] });
  });

  it.each([
    [['--frobnicate'], /Unknown flag --frobnicate/],
    [['--rounds', '0'], /--rounds must be an integer >= 1, got "0"/],
    [['--data', 'msmarco'], /--data must be one of auto, dl19, generated/],
    [['--engine', '[1]'], /--engine must be a JSON object/],
    [['--extra', 'fp32:fp32:{}'], /taken by a built-in variant/],
    [['--queries'], /--queries needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv, paths)).toThrow(BenchUsageError);
    expect(() => parseArgs(argv, paths)).toThrow(message);
  });
});
