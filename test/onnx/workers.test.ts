import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DisposedError, ModelFormatError, RerankAbortedError, WorkerFailedError } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, exitWorkerOnNextRun } from '@crossrank/testing';

// Worker threads run the built package (dist/worker.cjs beside dist/index.cjs), as an installed
// @crossrank/core would. Models are generated (random weights, real tokenizer).
let dir: string;
const QUERY = 'how do containers talk to each other';
const DOCS = Array.from({ length: 40 }, (_, i) =>
  `document ${i}: ${'bridge network overlay port dns service '.split(' ').slice(0, 1 + (i % 6)).join(' ')} ${'words '.repeat(i % 17)}end`,
);
const PAIRS = DOCS.map((d) => [QUERY, d] as const);
const open: CrossEncoder[] = [];

async function load(options: Parameters<typeof CrossEncoder.load>[1]): Promise<CrossEncoder> {
  const encoder = await CrossEncoder.load(dir, options);
  open.push(encoder);
  return encoder;
}

/** Seeded PRNG (mulberry32): the random aborts are the same in every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-workers-tiny'), quantized: true }));
});

afterAll(async () => {
  await Promise.all(open.map((e) => e.dispose()));
});

describe.each(['fp32', 'q8'] as const)('%s: worker threads give the in-thread results', (dtype) => {
  let reference: Float32Array;
  let referenceRanking: Awaited<ReturnType<CrossEncoder['rerank']>>;

  beforeAll(async () => {
    const inThread = await load({ dtype, workers: 0 });
    expect(inThread.info.workers).toBe(0);
    reference = await inThread.predict(PAIRS);
    referenceRanking = await inThread.rerank(QUERY, DOCS, { topN: 10 });
  });

  it.each([1, 2, 4])('bit for bit with %i worker(s)', async (workers) => {
    const encoder = await load({ dtype, workers });
    expect(encoder.info.workers).toBe(workers);
    const logits = await encoder.predict(PAIRS);
    expect(Buffer.from(logits.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
    expect(await encoder.rerank(QUERY, DOCS, { topN: 10 })).toEqual(referenceRanking);
  });
});

it('100 concurrent calls with random aborts: the others equal sequential calls, in input order', async () => {
  const inThread = await load({ workers: 0 });
  const encoder = await load({ workers: 2, batchSize: 4 });
  const random = prng(11);
  const calls = Array.from({ length: 100 }, (_, i) => {
    const docs = DOCS.slice(i % 7, (i % 7) + 5 + (i % 29));
    const abort = random() < 0.3 ? new AbortController() : undefined;
    const promise = encoder.rerank(QUERY, docs, abort ? { signal: abort.signal } : {});
    if (abort) setTimeout(() => abort.abort(), Math.floor(random() * 20));
    return { docs, aborted: abort !== undefined, promise: promise.then((r) => ({ ok: true as const, r }), (e: unknown) => ({ ok: false as const, e })) };
  });
  const settled = await Promise.all(calls.map((c) => c.promise));
  let completed = 0;
  for (let i = 0; i < calls.length; i++) {
    const outcome = settled[i]!;
    if (outcome.ok) {
      completed++;
      expect(outcome.r).toEqual(await inThread.rerank(QUERY, calls[i]!.docs));
    } else {
      expect(calls[i]!.aborted).toBe(true);
      expect(outcome.e).toBeInstanceOf(RerankAbortedError);
    }
  }
  expect(completed).toBeGreaterThanOrEqual(70);
  // The instance still works after all those aborts.
  expect(await encoder.predict(PAIRS)).toEqual(await inThread.predict(PAIRS));
});

it('a worker that exits fails the call it was running with WorkerFailedError; the next call works', async () => {
  const encoder = await load({ workers: 1 });
  const expected = await encoder.predict(PAIRS);
  exitWorkerOnNextRun(encoder, 7);
  const failure = await encoder.predict(PAIRS).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkerFailedError);
  expect((failure as WorkerFailedError).exitCode).toBe(7);
  expect((failure as WorkerFailedError).code).toBe('CROSSRANK_WORKER_FAILED');
  expect((failure as Error).message).toMatch(/exited unexpectedly \(exit code 7\)/);
  // A replacement worker is started for later calls, with the same results.
  expect(await encoder.predict(PAIRS)).toEqual(expected);
  expect(await encoder.predict(PAIRS)).toEqual(expected);
});

it('with two workers, a crash fails only the call whose batch was on the dead worker', async () => {
  const encoder = await load({ workers: 2, batchSize: 1 });
  const expected = await encoder.predict(PAIRS.slice(0, 4));
  exitWorkerOnNextRun(encoder, 3);
  const [first, second] = await Promise.allSettled([encoder.predict(PAIRS.slice(0, 4)), encoder.predict(PAIRS.slice(0, 4))]);
  const outcomes = [first, second];
  expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason)).toEqual([expect.any(WorkerFailedError)]);
  expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<Float32Array>).value)).toEqual([expected]);
  expect(await encoder.predict(PAIRS.slice(0, 4))).toEqual(expected);
});

it('dispose() lets calls under way finish, including one started in the same tick, then refuses new ones', async () => {
  const reference = await (await load({ workers: 0 })).predict(PAIRS);
  const encoder = await CrossEncoder.load(dir, { workers: 2, batchSize: 2 });
  const running = [encoder.predict(PAIRS), encoder.predict(PAIRS.slice(0, 9))];
  const sameTick = encoder.rerank(QUERY, DOCS);
  const disposed = encoder.dispose();
  await expect(encoder.predict(PAIRS)).rejects.toBeInstanceOf(DisposedError);
  expect(await running[0]).toEqual(reference);
  expect(await running[1]).toEqual(reference.slice(0, 9));
  expect(await sameTick).toHaveLength(DOCS.length);
  await disposed;
  await expect(encoder.rerank(QUERY, DOCS)).rejects.toBeInstanceOf(DisposedError);
  await encoder.dispose();
});

it('aborting a queued call removes it from the queue without disturbing the calls around it', async () => {
  const encoder = await load({ workers: 1, batchSize: 1 });
  const expected = await encoder.predict(PAIRS.slice(0, 8));
  const abort = new AbortController();
  const before = encoder.predict(PAIRS.slice(0, 8));
  const queued = encoder.predict(PAIRS, { signal: abort.signal });
  const after = encoder.predict(PAIRS.slice(0, 8));
  abort.abort();
  await expect(queued).rejects.toBeInstanceOf(RerankAbortedError);
  expect(await before).toEqual(expected);
  expect(await after).toEqual(expected);
});

describe('workers that cannot start', () => {
  const saved = process.env.CROSSRANK_WORKER_SCRIPT;
  let scratch: string;
  beforeAll(() => (scratch = mkdtempSync(path.join(os.tmpdir(), 'crossrank-worker-script-'))));
  afterEach(() => {
    if (saved === undefined) delete process.env.CROSSRANK_WORKER_SCRIPT;
    else process.env.CROSSRANK_WORKER_SCRIPT = saved;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a missing worker script is a WorkerFailedError that says what to copy or set', async () => {
    process.env.CROSSRANK_WORKER_SCRIPT = path.join(scratch, 'nowhere.cjs');
    const error = await CrossEncoder.load(dir, { workers: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as Error).message).toMatch(/worker script was not found.*nowhere\.cjs.*CROSSRANK_WORKER_SCRIPT.*workers: 0/s);
  });

  it('a worker that exits while loading is a WorkerFailedError, and nothing is left running', async () => {
    const script = path.join(scratch, 'exits.cjs');
    writeFileSync(script, 'process.exit(5);\n');
    process.env.CROSSRANK_WORKER_SCRIPT = script;
    const error = await CrossEncoder.load(dir, { workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as WorkerFailedError).exitCode).toBe(5);
    expect((error as Error).message).toMatch(/failed while loading the model \(exit code 5\)/);
  });

  it('worker load errors keep their class across the thread boundary', async () => {
    const broken = mkdtempSync(path.join(scratch, 'broken-'));
    for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
      writeFileSync(path.join(broken, file), readFileSync(path.join(dir, file)));
    }
    mkdirSync(path.join(broken, 'onnx'));
    writeFileSync(path.join(broken, 'onnx', 'model.onnx'), 'not a protobuf');
    const error = await CrossEncoder.load(broken, { workers: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(/model\.onnx/);
  });
});

it.each([
  ['after dispose()', true],
  ['with idle workers and no dispose()', false],
])('a process ends by itself %s', (_, dispose) => {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'support', 'exit-child.cjs'), dir, dispose ? 'dispose' : 'keep'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.error).toBeUndefined();
  expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
  expect(JSON.parse(child.stdout)).toEqual({ workers: 2, results: DOCS.slice(0, 5).length });
});

it('rejects a bad workers option by name', async () => {
  for (const workers of [-1, 1.5, 65, 'many', null]) {
    await expect(CrossEncoder.load(dir, { workers: workers as never })).rejects.toThrow(/options\.workers must be 'auto' or an integer from 0 to 64/);
  }
});
