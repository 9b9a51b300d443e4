import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sigmoid } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

// The causal-LM reranker fixture on worker threads (the default), through the built package:
// scores must equal sentence-transformers 6.0.1's (packages/onnx/test-fixtures/causal-reranker-tiny/)
// and the in-thread run's exactly.
const FIXTURE = path.resolve(__dirname, '../../packages/onnx/test-fixtures/causal-reranker-tiny');
const pairs = JSON.parse(readFileSync(path.join(FIXTURE, 'pairs.json'), 'utf8')) as Array<[string, string]>;
const reference = JSON.parse(readFileSync(path.join(FIXTURE, 'reference.json'), 'utf8')) as {
  one: number[];
  batched: number[];
  prompted: number[];
  defaultActivation: number[];
  instruction: string;
};
const TOLERANCE = 1e-3;
// Full-vocabulary logits make these passes slow on a busy 2-core machine: generous per-test limits.
const SLOW = 600_000;

function maxDiff(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  return Math.max(...expected.map((value, i) => Math.abs(actual[i]! - value)));
}

let workers: CrossEncoder;
beforeAll(async () => {
  workers = await CrossEncoder.load(FIXTURE);
}, SLOW);
afterAll(() => workers.dispose());

it('runs on worker threads by default and scores every pair as sentence-transformers does, batched and one at a time', async () => {
  expect(workers.info.workers).toBeGreaterThan(0);
  const batched = await workers.predict(pairs);
  expect(maxDiff(batched, reference.batched)).toBeLessThan(TOLERANCE);
  // One pair per call, concurrent calls spread over the workers: short, cut (40-46) and empty texts.
  const some = [0, 5, 17, 40, 43, 46, 47, 48, 55, 56];
  const one = await Promise.all(some.map(async (i) => (await workers.predict([pairs[i]!]))[0]!));
  expect(maxDiff(one, some.map((i) => reference.one[i]!))).toBeLessThan(TOLERANCE);
  // The in-thread run (packages/onnx/src/causal/causal-reranker.test.ts checks it on every pair) gives the same numbers.
  const inThread = await CrossEncoder.load(FIXTURE, { workers: 0 });
  try {
    expect(Array.from(await inThread.predict(some.map((i) => pairs[i]!)))).toEqual(Array.from(await workers.predict(some.map((i) => pairs[i]!))));
  } finally {
    await inThread.dispose();
  }
}, SLOW);

it('takes an instruction per call on predict and rerank, on worker threads', async () => {
  expect(maxDiff(await workers.predict(pairs.slice(0, 40), { instruction: reference.instruction }), reference.prompted)).toBeLessThan(TOLERANCE);
  const query = pairs[0]![0];
  const members = pairs.flatMap(([q], i) => (q === query && i < 40 ? [i] : []));
  const results = await workers.rerank(query, members.map((i) => pairs[i]![1]), { instruction: reference.instruction });
  expect(results).toHaveLength(members.length);
  for (const result of results) expect(Math.abs(result.score - sigmoid(reference.prompted[members[result.index]!]!))).toBeLessThan(TOLERANCE);
  // Without it, rerank applies the model's Sigmoid to the plain scores.
  const plain = await workers.rerank(query, members.map((i) => pairs[i]![1]));
  for (const result of plain) expect(Math.abs(result.score - sigmoid(reference.one[members[result.index]!]!))).toBeLessThan(TOLERANCE);
  expect(members.slice(0, 5).map((i) => sigmoid(reference.one[i]!))).toEqual(members.slice(0, 5).map((i) => expect.closeTo(reference.defaultActivation[i]!, 5)));
}, SLOW);

describe('a generated Qwen3-style reranker (@crossrank/testing, architecture qwen3)', () => {
  it('loads as a causal-LM reranker, fp32 and q8, with the same scores on worker threads and in-thread', async () => {
    const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-qwen3-tiny'), architecture: 'qwen3', quantized: true, seed: 11 });
    const sample = pairs.slice(0, 8);
    for (const dtype of ['fp32', 'q8'] as const) {
      const onWorkers = await CrossEncoder.load(dir, { dtype });
      const inThread = await CrossEncoder.load(dir, { dtype, workers: 0 });
      try {
        expect(onWorkers.info.causal).toMatchObject({ trueTokenId: 10932, falseTokenId: 2362 });
        expect(onWorkers.info.activation).toBe('sigmoid');
        const scores = await onWorkers.predict(sample);
        expect(Array.from(await inThread.predict(sample))).toEqual(Array.from(scores));
        // Random weights, but a real model: different pairs score differently.
        expect(new Set(Array.from(scores, (s) => s.toFixed(4))).size).toBeGreaterThan(4);
      } finally {
        await Promise.all([onWorkers.dispose(), inThread.dispose()]);
      }
    }
  }, SLOW);
});
