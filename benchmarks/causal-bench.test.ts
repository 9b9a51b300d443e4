// Smoke test of `pnpm bench --only causal --quick`: the causal-LM scenario's harness on a tiny generated
// qwen3 model (seconds), as a child process. No timing is asserted; only that every figure is there.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CausalResult } from './src/causal-scenario';

const BENCH_DIR = __dirname;
const TSX_CLI = require.resolve('tsx/cli', { paths: [BENCH_DIR] });

let out: string;
let result: CausalResult;
let markdown: string;

beforeAll(async () => {
  out = mkdtempSync(path.join(os.tmpdir(), 'crossrank-bench-causal-'));
  const run = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, path.join('src', 'cli.ts'), '--only', 'causal', '--quick', '--queries', '2', '--out', out], { cwd: BENCH_DIR, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  if (run.code !== 0) throw new Error(`pnpm bench --only causal --quick exited with ${run.code}:\n${run.stderr}`);
  result = JSON.parse(readFileSync(path.join(out, 'causal.json'), 'utf8')) as CausalResult;
  markdown = readFileSync(path.join(out, 'causal.md'), 'utf8');
}, 300_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

const positive = (n: unknown) => typeof n === 'number' && Number.isFinite(n) && n > 0;

it('times fp32 and q8, as exported and with the LM head on the last position, per query, each in its own process, with load time, peak RSS and the engine settings used', () => {
  expect(result.schema).toBe('crossrank-bench-causal/1');
  expect(result.model).toMatchObject({ shape: 'qwen3-tiny', layers: 2, vocabSize: 50_270, randomWeights: true });
  expect(result.workload).toMatchObject({ source: 'generated', queries: 2, candidatesPerQuery: 20, topN: 3 });
  expect(result.machine.loadAverage.start).toHaveLength(3);
  // As exported (logits for every position), then rewritten to run the LM head on the last position only.
  expect(result.variants.map((v) => [v.id, v.dtype, v.lastPosition, v.modelFile])).toEqual([
    ['fp32', 'fp32', false, 'onnx/model.onnx'],
    ['q8', 'q8', false, 'onnx/model_quantized.onnx'],
    ['fp32-last', 'fp32', true, 'onnx/model_last.onnx'],
    ['q8-last', 'q8', true, 'onnx/model_quantized_last.onnx'],
  ]);
  for (const v of result.variants) {
    expect(v.queryMs).toHaveLength(2);
    for (const key of ['p50Ms', 'meanMs', 'pairsPerSecond', 'loadMs', 'rssAfterLoadMb', 'peakRssMb', 'weightsMb'] as const) expect([v.dtype, key, positive(v[key])]).toEqual([v.dtype, key, true]);
    expect(v.peakRssMb).toBeGreaterThanOrEqual(v.rssAfterLoadMb);
    // CrossEncoder.load's defaults, reported as chosen.
    expect(Number.isInteger(v.engine['workers'])).toBe(true);
    expect(positive(v.engine['threads'])).toBe(true);
  }
});

it('writes a markdown table with a column per variant', () => {
  expect(markdown).toMatch(/^# Causal-LM reranker on CPU \(qwen3-tiny, /m);
  expect(markdown).toMatch(/^\| \| fp32 \| q8 \| fp32, LM head on the last position \| q8, LM head on the last position \|$/m);
  for (const label of ['p50 ms per query', 'each query, ms', 'model load ms', 'peak RSS MB', 'workers x threads']) {
    expect(markdown).toMatch(new RegExp(`^\\| ${label} \\|( [^|]+ \\|){4}$`, 'm'));
  }
  expect(markdown).not.toContain('NaN');
});
