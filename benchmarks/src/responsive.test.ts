// Issue #21's rows: flag parsing, the 17 MB tokenizer's construction, the heartbeat, the figures and
// their goals. No timing is asserted (shared machines); the heartbeat test only checks a block shows.
import { parseArgs, BenchUsageError } from './args';
import { extendTokenizer, syntheticPieces, XLMR_PIECES } from './footprint-models';
import { HEARTBEAT_MS, peakRss, withHeartbeat } from './heartbeat';
import { vectorExtensions } from './machine';
import { responsiveFigures, responsiveGoals, spreadOf } from './responsive-goals';

const paths = { repoRoot: '/repo', benchDir: '/repo/benchmarks', workerPath: '/repo/benchmarks/src/worker.ts' };

describe('--only responsiveness and --runs', () => {
  it('runs once by default and repeats with --runs', () => {
    expect(parseArgs([], paths)).toMatchObject({ only: undefined, runs: 1, probePath: '/repo/benchmarks/src/fresh-probe.ts', modelsCache: '/repo/benchmarks/.cache/models' });
    expect(parseArgs(['--only', 'responsiveness', '--runs', '3'], paths)).toMatchObject({ only: 'responsiveness', runs: 3 });
    expect(parseArgs(['--only=serve'], paths)).toMatchObject({ only: 'serve', runs: 1 });
  });

  it.each([
    [['--runs', '2'], /--runs repeats --only responsiveness/],
    [['--only', 'serve', '--runs', '2'], /--runs repeats --only responsiveness/],
    [['--only', 'responsiveness', '--runs', '0'], /--runs must be an integer >= 1, got "0"/],
    [['--only', 'responsiveness', '--responsiveness', 'none'], /would measure nothing/],
    [['--only', 'loadgap'], /--only must be one of serve, responsiveness/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv, paths)).toThrow(BenchUsageError);
    expect(() => parseArgs(argv, paths)).toThrow(message);
  });
});

describe('vectorExtensions', () => {
  it('names the kernel flags present, says none, or unknown without /proc/cpuinfo', () => {
    expect(vectorExtensions(() => 'processor : 0\nflags : fpu sse avx avx2 fma avx512f avx512_vnni amx_tile amx_int8\n')).toBe('avx2 fma avx512f avx512_vnni amx_tile amx_int8');
    expect(vectorExtensions(() => 'flags : fpu sse sse2\n')).toMatch(/^none of avx2 fma/);
    expect(vectorExtensions(() => 'no flags line\n')).toBe('unknown');
    expect(
      vectorExtensions(() => {
        throw new Error('ENOENT');
      }),
    ).toBe('unknown');
  });
});

describe('extendTokenizer', () => {
  const source = {
    model: { type: 'Unigram', unk_id: 3, vocab: [['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['\u2581the', -3.5], ['s', -9.25], ['<mask>', 0]] as Array<[string, number]> },
    added_tokens: [{ id: 0, content: '<s>' }, { id: 6, content: '<mask>' }],
    normalizer: null,
  };

  it('fills the vocabulary to the size asked, <mask> last, scores below the real ones and decreasing', () => {
    const json = JSON.parse(extendTokenizer(source, 20)) as typeof source;
    const vocab = json.model.vocab;
    expect(vocab).toHaveLength(20);
    expect(vocab.slice(0, 6)).toEqual(source.model.vocab.slice(0, 6));
    expect(vocab.at(-1)).toEqual(['<mask>', 0]);
    expect(json.added_tokens).toEqual([{ id: 0, content: '<s>' }, { id: 19, content: '<mask>' }]);
    const added = vocab.slice(6, -1);
    expect(new Set(added.map(([p]) => p)).size).toBe(added.length);
    expect(added.every(([, score], i) => score < -9.25 && (i === 0 || score < added[i - 1]![1]))).toBe(true);
  });

  it('makes pieces only of Private Use Area characters after ▁, so no real text matches them', () => {
    const pieces = syntheticPieces(XLMR_PIECES, -20);
    expect(new Set(pieces.map(([p]) => p)).size).toBe(XLMR_PIECES);
    expect(pieces.every(([p]) => /^\u2581[\ue000-\uf8ff]{2,3}$/.test(p))).toBe(true);
  });

  it('refuses a source without <mask> last or a size it cannot reach', () => {
    expect(() => extendTokenizer({ ...source, model: { ...source.model, vocab: source.model.vocab.slice(0, -1) } }, 20)).toThrow(/end with <mask>/);
    expect(() => extendTokenizer(source, 7)).toThrow(/Cannot extend a 7-piece vocabulary to 7/);
  });
});

describe('heartbeat and peak RSS', () => {
  it('reports a synchronous block as a gap beyond the period', async () => {
    const { value, gapMs } = await withHeartbeat(HEARTBEAT_MS, async () => {
      await new Promise((resolve) => setTimeout(resolve, 3 * HEARTBEAT_MS));
      const until = performance.now() + 60;
      while (performance.now() < until);
      return 'done';
    });
    expect(value).toBe('done');
    expect(gapMs).toBeGreaterThanOrEqual(60 - HEARTBEAT_MS);
  });

  it('reads VmHWM, and falls back to maxRSS without /proc', () => {
    expect(peakRss(() => 'Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t 1024 kB\n')).toEqual({ mb: 200, source: 'VmHWM' });
    const fallback = peakRss(() => {
      throw new Error('ENOENT');
    });
    expect(fallback.source).toBe('maxRSS');
    expect(fallback.mb).toBeGreaterThan(0);
  });
});

describe('responsive figures and goals', () => {
  const row = { loadMs: 100, firstRerankMs: 400, rssSource: 'VmHWM' as const, workers: 2, threads: 1 };
  const footprint = {
    heartbeatMs: 5,
    candidates: 20,
    models: [],
    skipped: [],
    rows: [
      { ...row, model: 'miniLM' as const, dtype: 'fp32' as const, option: 'default' as const, loadGapMs: 12, peakRssMb: 500 },
      { ...row, model: 'miniLM' as const, dtype: 'fp32' as const, option: 'workers: 0' as const, loadGapMs: 40, peakRssMb: 400, workers: 0, threads: 2 },
    ],
  };
  const responsiveness = {
    seconds: 1,
    eventLoop: [{ mode: 'workers' as const, dtype: 'q8' as const, reranks: 3, maxGapMs: 17, getP50Ms: 1, getP99Ms: 2 }],
    server: [
      { mode: 'workers' as const, dtype: 'fp32' as const, concurrency: 4, requestsPerSecond: 2.6, rerankP50Ms: 1, rerankP99Ms: 1, healthP99Ms: 8 },
      { mode: 'in-thread' as const, dtype: 'fp32' as const, concurrency: 4, requestsPerSecond: 2, rerankP50Ms: 1, rerankP99Ms: 1, healthP99Ms: 90 },
    ],
  };

  it('names each figure, subtracting the heartbeat period from the event-loop gap', () => {
    const figures = responsiveFigures({ responsiveness, footprint, ratios: { fp32ThroughputVsBaseline: 1.9 } });
    expect(figures).toEqual({
      'eventLoop.q8.workers.gapMs': 12,
      'server.fp32.healthP99At4Ms': 8,
      'server.fp32.throughputVsWorkers0At4': 1.3,
      'load.miniLM.fp32.default.loadMs': 100,
      'load.miniLM.fp32.default.gapMs': 12,
      'load.miniLM.fp32.default.firstRerankMs': 400,
      'load.miniLM.fp32.default.peakRssMb': 500,
      'load.miniLM.fp32.workers0.loadMs': 100,
      'load.miniLM.fp32.workers0.gapMs': 40,
      'load.miniLM.fp32.workers0.firstRerankMs': 400,
      'load.miniLM.fp32.workers0.peakRssMb': 400,
      'load.miniLM.fp32.rssRatio': 1.25,
      'load.miniLM.fp32.firstRerankRatio': 1,
      'speed.fp32VsBaseline': 1.9,
    });
  });

  it('grades the goals whose figures are present', () => {
    const goals = responsiveGoals(responsiveFigures({ responsiveness, footprint, ratios: { fp32ThroughputVsBaseline: 1.8 } }));
    expect(goals.map((g) => [g.name, g.value, g.met])).toEqual([
      ['largest event-loop gap beyond the 5 ms tick, back-to-back reranks, default options, q8', '12.0 ms', false],
      ['largest event-loop gap while loading, MiniLM-shaped model, default options, fp32', '12.0 ms', true],
      ['/health p99 at 4 clients, default options, fp32', '8.0 ms', true],
      ['throughput at 4 clients, default options vs workers: 0, fp32', '1.30x', true],
      ['peak RSS (load + one 20-candidate rerank), default options vs workers: 0, MiniLM-shaped model, fp32', '1.25x', true],
      ['fp32 throughput vs the naive transformers.js code, kept', '1.80x', false],
    ]);
  });

  it('spreads figures over runs: each run, min, median, max', () => {
    expect(spreadOf([{ a: 3, b: 1 }, { a: 1 }, { a: 2, b: 5 }])).toEqual([
      { name: 'a', runs: [3, 1, 2], min: 1, median: 2, max: 3 },
      { name: 'b', runs: [1, Number.NaN, 5], min: 1, median: 3, max: 5 },
    ]);
  });
});
