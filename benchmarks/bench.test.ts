// Smoke test of `pnpm bench`: runs the real harness (--quick: tiny generated model, generated
// passages) as a child process and checks it writes complete, well-formed JSON and markdown. CI
// machines vary, so no timing is asserted; score agreement with the baseline is, since it is exact.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultTestModelDir } from '@crossrank/testing';
import type { BenchResult } from './src/result';

const BENCH_DIR = __dirname;
const TSX_CLI = require.resolve('tsx/cli', { paths: [BENCH_DIR] });

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, path.join('src', 'cli.ts'), ...args], { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let out: string;
let run: { code: number | null; stdout: string; stderr: string };
let result: BenchResult;
let markdown: string;

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'crossrank-bench-'));
  run = await runBench(['--quick', '--q8-format', 'both', '--out', out, '--model-dir', defaultTestModelDir('bench-smoke-tiny'), '--scale', '20,60']);
  if (run.code !== 0) throw new Error(`pnpm bench --quick exited with ${run.code}:\n${run.stderr}`);
  result = JSON.parse(readFileSync(path.join(out, 'bench.json'), 'utf8')) as BenchResult;
  markdown = readFileSync(path.join(out, 'bench.md'), 'utf8');
  // A whole quick bench run: ~100 s on a busy 2-core machine, so jest's 120 s hook default is too tight.
}, 300_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;

describe('pnpm bench --quick', () => {
  it('describes the run: mode, machine, model, workload and the FLOP formula', () => {
    expect(result.schema).toBe('crossrank-bench/1');
    expect(result.mode).toBe('quick');
    expect(positive(result.durationS)).toBe(true);
    expect(result.machine.cores).toBeGreaterThanOrEqual(1);
    expect(result.machine.onnxruntime).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.machine.loadAverage.start).toHaveLength(3);
    expect(result.machine.vectorExtensions).toMatch(/^(unknown|none of .+|[\w ]+)$/);
    expect(markdown).toContain(`(vector extensions: ${result.machine.vectorExtensions})`);
    expect(result.model).toMatchObject({ shape: 'tiny', layers: 2, hidden: 32, intermediate: 128, randomWeights: true });
    expect(result.workload).toMatchObject({ source: 'generated', queries: 3, candidatesPerQuery: 20, rounds: 1, topN: 3 });
    expect(positive(result.workload.meanPairTokens)).toBe(true);
    expect(result.flopsFormula).toContain('2*(4*h*h + 2*h*ffn) + 2*2*L*h');
  });

  it('times a, b and c on every query, with every figure the report needs', () => {
    expect(result.variants.map((v) => v.id)).toEqual(['baseline', 'fp32', 'q8', 'q8-unfused']);
    for (const v of result.variants) {
      expect(v.runs).toBe(3);
      for (const key of ['pairsPerSecond', 'p50Ms', 'p95Ms', 'meanMs', 'usefulGflops', 'shareOfFp32Peak', 'loadMs', 'peakRssMb'] as const) {
        expect([v.id, key, positive(v[key])]).toEqual([v.id, key, true]);
      }
      expect(v.p95Ms).toBeGreaterThanOrEqual(v.p50Ms);
      expect(v.paddedShare).toBeGreaterThanOrEqual(0);
      expect(v.paddedShare).toBeLessThan(1);
      expect(v.forwardPassesPerQuery).toBeGreaterThanOrEqual(1);
    }
    // The baseline pads all 20 pairs into one forward pass; CrossEncoder cuts padding by batching by length.
    const [baseline, fp32] = result.variants;
    expect(baseline!.forwardPassesPerQuery).toBe(1);
    expect(fp32!.paddedShare).toBeLessThan(baseline!.paddedShare);
    expect(result.variants[1]!.info).toMatchObject({ dtype: 'fp32' });
    expect(result.variants[2]!.info).toMatchObject({ dtype: 'q8' });
  });

  it('measures the MatMul peak once per query and scores like the baseline', () => {
    expect(result.peak.samples).toBe(3);
    expect(positive(result.peak.medianGflops)).toBe(true);
    expect(result.peak.maxGflops).toBeGreaterThanOrEqual(result.peak.medianGflops);
    // Generated passages are short: every pair is under the length limit and compared.
    expect(result.agreement.comparedPairs).toBe(60);
    expect(result.agreement.excludedTruncatedPairs).toBe(0);
    expect(result.agreement.fp32VsBaseline.maxAbsScoreDiff).toBeLessThanOrEqual(1e-4);
    expect(result.agreement.fp32VsBaseline.sameTop3Share).toBe(1);
    expect(result.agreement.q8VsFp32.sameTop3SetShare).toBeGreaterThanOrEqual(0);
  });

  it("loads (c) from the fused int8 graph, which scores like the unfused one (c')", () => {
    // Per layer: one QAttention and three DynamicQuantizeMatMul. No SkipLayerNormalization: its kernel
    // rounds differently from LayerNormalization's, which dynamic quantization amplifies (see models.ts).
    expect(result.model.q8Ops).toMatchObject({ QAttention: 2, DynamicQuantizeMatMul: 6 });
    expect(result.model.q8Ops['Softmax']).toBeUndefined();
    expect(result.model.q8Ops['SkipLayerNormalization']).toBeUndefined();
    expect(result.agreement.q8FusedVsUnfused!.maxAbsLogitDiff).toBeLessThan(1e-3);
    expect(result.ratios['q8PairedSpeedupVsUnfusedQ8']).toBeGreaterThan(0);
  });

  it('runs one query at each scale in its own process and reports its RSS', () => {
    expect(result.scale.map((s) => s.candidates)).toEqual([20, 60]);
    for (const s of result.scale) {
      expect(s.dtype).toBe('q8');
      for (const key of ['ms', 'pairsPerSecond', 'usefulTokens', 'forwardPasses', 'msPerUsefulGflop', 'peakRssMb', 'rssBeforeCallMb'] as const) expect(positive(s[key])).toBe(true);
      expect(s.callRssGrowthMb).toBeGreaterThanOrEqual(0);
      expect(s.peakRssMb).toBeGreaterThanOrEqual(s.rssBeforeCallMb);
    }
  });

  it('states each goal with its target, the measured value and whether it was met, and prints the ratios', () => {
    expect(Object.keys(result.ratios)).toEqual(
      expect.arrayContaining(['fp32ThroughputVsBaseline', 'q8ThroughputVsBaseline', 'q8ThroughputVsFp32', 'fp32PairedSpeedupVsBaseline', 'fp32UsefulShareOfPeak']),
    );
    // 7 speed and scale goals, then issue #21's: event-loop gap (2 dtypes), load gap (tiny fp32, q8;
    // tokenizer stand-in fp32), server (3 figures x 2 dtypes), peak RSS (tiny fp32, q8), speed kept (2).
    expect(result.goals.length).toBe(22);
    expect(result.goals.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        'largest event-loop gap beyond the 5 ms tick, back-to-back reranks, default options, q8',
        'largest event-loop gap while loading, 17 MB XLM-R-style tokenizer.json, default options, fp32',
        '/health p99 at 4 clients, default options, q8',
        'throughput at 4 clients, default options vs workers: 0, fp32',
        "one client's p50 latency, default options vs workers: 0, q8",
        'peak RSS (load + one 20-candidate rerank), default options vs workers: 0, MiniLM-shaped model, fp32',
        'q8 throughput vs the naive transformers.js code, kept',
      ]),
    );
    for (const goal of result.goals) {
      expect(goal.name).not.toBe('');
      expect(goal.target).not.toBe('');
      expect(goal.value).not.toBe('');
      expect(typeof goal.met).toBe('boolean');
    }
    expect(run.stdout).toMatch(/^fp32ThroughputVsBaseline: \d+\.\d\d$/m);
    expect(run.stdout).toMatch(/^(met |MISS) q8 p50 per query: /m);
  });

  it('measures the event loop and the node:http server scenario for workers, in-thread mode and the baseline', () => {
    const responsiveness = result.responsiveness!;
    expect(responsiveness.seconds).toBe(0.5);
    expect(responsiveness.eventLoop.map((r) => `${r.mode} ${r.dtype}`)).toEqual(['workers fp32', 'in-thread fp32', 'workers q8', 'in-thread q8']);
    for (const r of responsiveness.eventLoop) {
      for (const key of ['reranks', 'maxGapMs', 'getP50Ms', 'getP99Ms'] as const) expect([r.mode, r.dtype, key, positive(r[key])]).toEqual([r.mode, r.dtype, key, true]);
      expect(r.getP99Ms).toBeGreaterThanOrEqual(r.getP50Ms);
    }
    expect(responsiveness.server.map((r) => `${r.mode} ${r.dtype} ${r.concurrency}`)).toEqual([
      'workers fp32 1',
      'workers fp32 4',
      'in-thread fp32 1',
      'in-thread fp32 4',
      'baseline fp32 1',
      'baseline fp32 4',
      'workers q8 1',
      'workers q8 4',
      'in-thread q8 1',
      'in-thread q8 4',
    ]);
    // `workers` rows run with CrossEncoder.load's default options; the report says what they resolved to.
    expect(responsiveness.eventLoop.find((r) => r.mode === 'workers')!.workers).toBeGreaterThanOrEqual(0);
    expect(responsiveness.eventLoop.find((r) => r.mode === 'in-thread')!.workers).toBe(0);
    for (const r of responsiveness.server) {
      for (const key of ['requestsPerSecond', 'rerankP50Ms', 'rerankP99Ms', 'healthP99Ms'] as const) expect([r.mode, key, positive(r[key])]).toEqual([r.mode, key, true]);
    }
    expect(positive(result.ratios['serverWorkersThroughputVsInThreadAt4'])).toBe(true);
    expect(positive(result.ratios['serverWorkersP50VsInThreadAt1'])).toBe(true);
    expect(positive(result.ratios['serverWorkersThroughputVsInThreadAt4Q8'])).toBe(true);
    expect(markdown).toMatch(/^\| mode \| dtype \| reranks \| largest heartbeat gap ms \| GET p50 ms \| GET p99 ms \|$/m);
    expect(markdown).toMatch(/^\| in-thread \| q8 \| 4 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \|$/m);
  });

  it('loads each model in a fresh process: load gap, first rerank and peak RSS, default options vs workers: 0', () => {
    const footprint = result.footprint!;
    // Quick: the tiny bench model and a tiny XLM-R with a 40,000-piece tokenizer stand in; no 1.3 GB model.
    expect(footprint.rows.map((r) => `${r.model} ${r.dtype} ${r.option}`)).toEqual([
      'miniLM fp32 default',
      'miniLM fp32 workers: 0',
      'miniLM q8 default',
      'miniLM q8 workers: 0',
      'bigTokenizer fp32 default',
      'bigTokenizer fp32 workers: 0',
    ]);
    expect(footprint.skipped).toEqual([expect.stringContaining('1.3 GB')]);
    for (const r of footprint.rows) {
      for (const key of ['loadMs', 'firstRerankMs', 'peakRssMb', 'threads'] as const) expect([r.model, r.option, key, positive(r[key])]).toEqual([r.model, r.option, key, true]);
      expect(r.loadGapMs).toBeGreaterThanOrEqual(0);
      if (r.option === 'workers: 0') expect(r.workers).toBe(0);
    }
    expect(footprint.models.find((m) => m.key === 'bigTokenizer')!.tokenizerMb).toBeGreaterThan(footprint.models.find((m) => m.key === 'miniLM')!.tokenizerMb);
    expect(markdown).toMatch(/^\| model \| dtype \| options \| info\.workers x threads \| load ms \| largest gap while loading ms \| first rerank ms \| peak RSS MB \|$/m);
    expect(markdown).toMatch(/^\| tiny shape \(the bench model\) \| q8 \| [\d.]+x \| [\d.]+x \|$/m);
  });

  it('writes a markdown report with the comparison, goal and scale tables', () => {
    expect(markdown).toMatch(/^# crossrank rerank benchmark \(quick\)$/m);
    expect(markdown).toMatch(/^\| \| \(a\) transformers\.js baseline, fp32 \| \(b\) CrossEncoder fp32 \| \(c\) CrossEncoder q8 \| \(c'\) CrossEncoder q8, unfused int8 graph \|$/m);
    for (const row of ['pairs/s', 'p50 ms per query', 'p95 ms per query', 'padded tokens', 'useful GFLOP/s', 'share of fp32 MatMul peak', 'peak RSS MB', 'model load ms']) {
      expect(markdown).toMatch(new RegExp(`^\\| ${row.replace(/[/()]/g, '\\$&')}[^|]*\\|( [^|]+ \\|){4}$`, 'm'));
    }
    expect(markdown).toMatch(/^\| goal \| target \| measured \| met \|$/m);
    expect(markdown).toMatch(/^\| 60 \| q8 \| \d+ \|/m);
    expect(markdown).not.toContain('NaN');
  });
});
