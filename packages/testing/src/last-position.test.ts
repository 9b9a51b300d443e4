import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import { createTestCrossEncoder } from './create-test-cross-encoder.js';
import { keepLastPosition, keepLastPositionFile } from './last-position.js';
import { onnx } from './onnx-proto.js';
import { TEST_MODEL_SHAPES } from './options.js';
import { loadOrt } from './test-support.js';

// keepLastPosition: the LM head on the last position only. Its logits must be the full graph's last
// row; a graph without [batch, sequence, vocabulary] logits is refused.
const ort = loadOrt();
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-last-position-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(file: string, ids: number[]): Promise<{ dims: readonly number[]; data: Float32Array }> {
  const session = await ort.InferenceSession.create(file);
  try {
    const feeds: Record<string, unknown> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(ids, () => 1n), [1, ids.length]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, ids.length]),
    };
    for (let i = 0; i < 2; i++) for (const kind of ['key', 'value']) feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]);
    return ((await session.run(feeds as never)) as unknown as Record<string, { dims: readonly number[]; data: Float32Array }>)['logits']!;
  } finally {
    await session.release();
  }
}

test("returns the full graph's last-position logits as [batch, vocabulary]", async () => {
  const { dir } = await createTestCrossEncoder({ dir: join(root, 'qwen3'), architecture: 'qwen3', layers: 2, hidden: 32, heads: 4, intermediate: 64, seed: 3 });
  await keepLastPositionFile(join(dir, 'onnx/model.onnx'), join(dir, 'onnx/model_last.onnx'));
  const ids = [11, 22, 33, 44, 55];
  const full = await run(join(dir, 'onnx/model.onnx'), ids);
  const last = await run(join(dir, 'onnx/model_last.onnx'), ids);
  const vocab = full.dims[2]!;
  expect(last.dims).toEqual([1, vocab]);
  const expected = full.data.subarray((ids.length - 1) * vocab);
  let max = 0;
  for (let i = 0; i < vocab; i++) max = Math.max(max, Math.abs(last.data[i]! - expected[i]!));
  expect(max).toBeLessThan(1e-4);
});

test('refuses a graph without per-position logits', async () => {
  const { dir } = await createTestCrossEncoder({ dir: join(root, 'bert'), ...TEST_MODEL_SHAPES.tiny });
  const classifier = onnx.ModelProto.decode(await readFile(join(dir, 'onnx/model.onnx')));
  expect(() => keepLastPosition(classifier)).toThrow(InvalidInputError);
  expect(() => keepLastPosition(classifier)).toThrow(/"logits" is \[batch, sequence, vocabulary\]/);
});
