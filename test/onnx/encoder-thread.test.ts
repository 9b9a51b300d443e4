import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { WorkerFailedError } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

// With worker threads the calling thread neither parses the tokenizer nor tokenizes (issue 21): it
// never loads @huggingface/tokenizers, jinja or ONNX Runtime. Each case runs in a fresh CommonJS
// process, whose require.cache lists what that thread loaded (workers have caches of their own).
const CAUSAL_FIXTURE = path.join(__dirname, '..', '..', 'packages', 'onnx', 'test-fixtures', 'causal-reranker-tiny');
let dir: string;

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-calling-thread-tiny') }));
});

interface Report {
  workers: number;
  workerNice: number;
  ranked: number[];
  scores: number[];
  tokenizers: boolean;
  jinja: boolean;
  onnxruntime: boolean;
  mainNice: number | undefined;
  otherNices: number[];
}

function run(model: string, options: Record<string, unknown>): Report {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'support', 'calling-thread-child.cjs'), model, JSON.stringify(options)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(child.stdout) as Report;
}

it.each([
  ['a sequence classifier', () => dir],
  ['a causal-LM reranker', () => CAUSAL_FIXTURE],
])('%s: with workers the calling thread loads no tokenizer, template engine or ONNX Runtime; in-thread it does', (_, model) => {
  const inThread = run(model(), { workers: 0 });
  expect(inThread).toMatchObject({ workers: 0, tokenizers: true, onnxruntime: true });
  const workers = run(model(), {});
  expect(workers).toMatchObject({ tokenizers: false, jinja: false, onnxruntime: false });
  expect(workers.workers).toBeGreaterThan(0);
  // Same ids, same scores: tokenizing moved, nothing else.
  expect(workers.ranked).toEqual(inThread.ranked);
  expect(workers.scores).toEqual(inThread.scores);
});

it('workerNice lowers the worker threads (and the threads ONNX Runtime starts in them), never the calling thread; on Linux only', () => {
  const plain = run(dir, { workers: 1, threads: 2 });
  const nice = run(dir, { workers: 1, threads: 2, workerNice: 7 });
  expect(nice.scores).toEqual(plain.scores);
  if (process.platform !== 'linux') {
    // macOS and Windows would lower the whole process: nothing is applied there.
    expect(nice.workerNice).toBe(0);
    return;
  }
  expect(plain).toMatchObject({ workerNice: 0, mainNice: 0 });
  expect(plain.otherNices.every((n) => n === 0)).toBe(true);
  expect(nice).toMatchObject({ workerNice: 7, mainNice: 0 });
  // The session worker, its ONNX Runtime intra-op thread and the encoder thread at least.
  expect(nice.otherNices.filter((n) => n === 7).length).toBeGreaterThanOrEqual(3);
});

it('an encoder thread that dies fails the calls waiting on it with WorkerFailedError; the next call starts a new one', async () => {
  const encoder = await CrossEncoder.load(dir, { workers: 1 });
  try {
    const documents = ['containers talk over a bridge network', 'a pod has one IP', 'ingress routes HTTP'];
    const expected = await encoder.rerank('how do containers talk', documents);
    (encoder as unknown as { source: Record<symbol, (code: number) => void> }).source[Symbol.for('crossrank.worker.exitOnNextRun')]!(9);
    const failure = await encoder.rerank('how do containers talk', documents).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkerFailedError);
    expect((failure as WorkerFailedError).exitCode).toBe(9);
    expect(await encoder.rerank('how do containers talk', documents)).toEqual(expected);
  } finally {
    await encoder.dispose();
  }
});
