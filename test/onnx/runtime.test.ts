import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';

// Defects of the transformers.js 3.8 / ONNX Runtime 1.21 stack that must stay gone, and the event
// loop staying free while worker threads rerank. Each process-level check runs in a child process.
let tiny: string;
let scratch: string;

function runChild(script: string, args: string[], nodeArgs: string[] = []): unknown {
  const child = spawnSync(process.execPath, [...nodeArgs, path.join(__dirname, 'support', script), ...args], { encoding: 'utf8', timeout: 240_000 });
  expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(child.stdout);
}

beforeAll(async () => {
  ({ dir: tiny } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-runtime-tiny') }));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'crossrank-runtime-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it.each([0, 2])('a corrupt first load (workers: %i) does not poison later loads in the process', (workers) => {
  const bad = path.join(scratch, `corrupt-${workers}`);
  cpSync(tiny, bad, { recursive: true });
  writeFileSync(path.join(bad, 'onnx', 'model.onnx'), 'not a protobuf');
  const out = runChild('corrupt-first-child.cjs', [bad, tiny, String(workers)]) as Record<string, unknown>;
  expect(out['first']).toBe('ModelFormatError');
  expect(out['workers0']).toHaveLength(2);
  expect(out['workers2']).toEqual(out['workers0']);
});

describe('load/dispose cycles do not grow resident memory', () => {
  let dir: string;
  beforeAll(async () => {
    // One layer of the MiniLM shape: a ~50 MB model.onnx (mostly the embedding table) that loads fast.
    ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-runtime-one-layer'), ...TEST_MODEL_SHAPES.miniLM, layers: 1 }));
  });

  // With workers, resident memory climbs for the first ~10 cycles (thread heaps, malloc arenas) and
  // then levels off (measured: 116 MB after 4, 131-143 MB from 12 to 40), so the early reading comes after 12; the leak this guards against (a model-sized
  // body read per load) would add ~50 MB a cycle here.
  it.each([
    [0, 10, 30],
    [1, 12, 24],
  ])('workers: %i, RSS after %i and after %i cycles within 1.2x', (workers, early, cycles) => {
    const rss = runChild('load-cycles-child.cjs', [dir, String(workers), String(early), String(cycles)], ['--expose-gc']) as Record<string, number>;
    expect(rss[cycles]!).toBeLessThan(1.2 * rss[early]!);
  });
});

it('a heartbeat keeps beating while worker threads rerank (largest gap under 100 ms)', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-runtime-minilm'), ...TEST_MODEL_SHAPES.miniLM });
  const words = 'container bridge overlay port host dns kubernetes pod service ingress tls cert proxy nginx route subnet'.split(' ');
  const docs = Array.from({ length: 20 }, (_, i) => Array.from({ length: 60 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '));
  // One intra-op thread per worker: the calling thread then never competes with more ONNX Runtime
  // threads than there are cores (on a loaded 2-core machine, 2 x 2 threads gave gaps up to 167 ms).
  const encoder = await CrossEncoder.load(dir, { workers: 2, threads: 1 });
  try {
    await encoder.rerank('how do pods reach a service', docs);
    let last = performance.now();
    let largest = 0;
    const beat = setInterval(() => {
      const now = performance.now();
      largest = Math.max(largest, now - last);
      last = now;
    }, 5);
    let ranked = 0;
    try {
      for (let i = 0; i < 4; i++) ranked += (await encoder.rerank('how do pods reach a service', docs)).length;
    } finally {
      clearInterval(beat);
    }
    expect(ranked).toBe(80);
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(100);
  } finally {
    await encoder.dispose();
  }
});
