import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from 'tokenizers';
import { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
import { QWEN2_STYLE_NO, QWEN2_STYLE_YES } from './qwen3-folder.js';
import { referenceLastLogits } from './qwen3-reference.js';
import { randomQwen3Weights, type Qwen3Shape } from './qwen3-weights.js';
import { resolveOptions } from './options.js';
import { loadOrt, type OrtSession } from './test-support.js';

// The generated Qwen3 decoder in ONNX Runtime against a float64 forward pass written without ONNX:
// unpadded, left-padded with per-row positions, and continued from a past key/value cache.
const ort = loadOrt();
let root: string;
let model: TestCrossEncoderModel;
let shape: Qwen3Shape;
let session: OrtSession;
let sequences: number[][];
const options = { architecture: 'qwen3', layers: 2, hidden: 32, heads: 4, intermediate: 64, seed: 7 } as const;
const TOLERANCE = 1e-3;

interface Tensor {
  dims: readonly number[];
  data: ArrayLike<number>;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-qwen3-'));
  model = await createTestCrossEncoder({ dir: join(root, 'qwen3'), ...options, quantized: true });
  shape = resolveOptions({ dir: model.dir, ...options }).qwen3!;
  session = await ort.InferenceSession.create(join(model.dir, 'onnx/model.onnx'));
  const tokenizer = Tokenizer.fromFile(join(model.dir, 'tokenizer.json'));
  const texts = ['<|im_start|>user\nIs the sky blue?<|im_end|>', 'Berlin has 3.5 million inhabitants.', 'yes'];
  sequences = await Promise.all(texts.map(async (text) => (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds()));
});

afterAll(async () => {
  await session?.release();
  await rm(root, { recursive: true, force: true });
});

/** Runs rows left-padded to one length, positions counted from each row's first real token, past length `past`. */
async function run(rows: number[][], pastKv?: Record<string, unknown>, past = 0): Promise<Record<string, Tensor>> {
  const length = Math.max(...rows.map((r) => r.length));
  const ids: bigint[] = [];
  const mask: bigint[] = [];
  const positions: bigint[] = [];
  for (const row of rows) {
    const pad = length - row.length;
    for (let t = 0; t < length; t++) {
      ids.push(BigInt(t < pad ? 50260 : row[t - pad]!));
      positions.push(BigInt(t < pad ? 1 : past + t - pad));
    }
    for (let t = 0; t < past + length; t++) mask.push(t < past || t >= past + pad ? 1n : 0n);
  }
  const feeds: Record<string, unknown> = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [rows.length, length]),
    attention_mask: new ort.Tensor('int64', BigInt64Array.from(mask), [rows.length, past + length]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(positions), [rows.length, length]),
  };
  for (let i = 0; i < shape.layers; i++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kind}`] = pastKv?.[`present.${i}.${kind}`] ?? new ort.Tensor('float32', new Float32Array(0), [rows.length, shape.kvHeads, 0, shape.headDim]);
    }
  }
  return (await session.run(feeds as never)) as unknown as Record<string, Tensor>;
}

function lastLogits(logits: Tensor, row: number): number[] {
  const [, length, vocab] = logits.dims as [number, number, number];
  const start = (row * length + length - 1) * vocab;
  return Array.from({ length: vocab }, (_, i) => logits.data[start + i]!);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

test('writes a sentence-transformers causal reranker folder in the hub decoder layout', async () => {
  expect(model.files).toEqual(expect.arrayContaining(['1_LogitScore/config.json', 'chat_template.jinja', 'modules.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json']));
  const config = JSON.parse(await readFile(join(model.dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  expect(config).toMatchObject({ architectures: ['Qwen3ForCausalLM'], num_key_value_heads: 2, head_dim: 8, vocab_size: 50_270 });
  const logitScore = JSON.parse(await readFile(join(model.dir, '1_LogitScore/config.json'), 'utf8')) as Record<string, unknown>;
  expect(logitScore).toMatchObject({ true_token_id: QWEN2_STYLE_YES, false_token_id: QWEN2_STYLE_NO });
  const outputs = await run([sequences[0]!]);
  expect(outputs['logits']!.dims).toEqual([1, sequences[0]!.length, 50_270]);
  expect(outputs['present.1.value']!.dims).toEqual([1, 2, sequences[0]!.length, 8]);
});

test('ONNX Runtime logits equal the float64 reference, unpadded and left-padded in one batch', async () => {
  const weights = randomQwen3Weights(shape, 7);
  const expected = sequences.map((ids) => referenceLastLogits(shape, weights, ids));
  // Logits have a standard deviation of about sqrt(hidden): the tolerance is relative to that.
  expect(Math.max(...expected[0]!.map(Math.abs))).toBeGreaterThan(1);
  const alone = await run([sequences[0]!]);
  expect(maxDiff(lastLogits(alone['logits']!, 0), expected[0]!)).toBeLessThan(TOLERANCE);
  const batch = await run(sequences);
  sequences.forEach((_, row) => expect(maxDiff(lastLogits(batch['logits']!, row), expected[row]!)).toBeLessThan(TOLERANCE));
  // The rows differ, so a batch that mixed them up would fail above.
  expect(maxDiff(expected[0]!, expected[1]!)).toBeGreaterThan(0.1);
});

test('continues from its own key/value cache as from the whole sequence', async () => {
  const ids = sequences[0]!;
  const cut = 5;
  const first = await run([ids.slice(0, cut)]);
  const rest = await run([ids.slice(cut)], first as unknown as Record<string, unknown>, cut);
  const whole = referenceLastLogits(shape, randomQwen3Weights(shape, 7), ids, [QWEN2_STYLE_YES, QWEN2_STYLE_NO]);
  const last = lastLogits(rest['logits']!, 0);
  expect(Math.abs(last[QWEN2_STYLE_YES]! - whole[0]!)).toBeLessThan(TOLERANCE);
  expect(Math.abs(last[QWEN2_STYLE_NO]! - whole[1]!)).toBeLessThan(TOLERANCE);
});

test('rejects options that do not apply to a causal LM', async () => {
  await expect(createTestCrossEncoder({ dir: join(root, 'bad'), architecture: 'qwen3', numLabels: 2 })).rejects.toThrow(/numLabels does not apply to architecture 'qwen3'/);
  await expect(createTestCrossEncoder({ dir: join(root, 'bad'), architecture: 'qwen3', heads: 4, kvHeads: 3 })).rejects.toThrow(/multiple of options.kvHeads/);
  await expect(createTestCrossEncoder({ dir: join(root, 'bad'), kvHeads: 2 })).rejects.toThrow(/applies to architecture 'qwen3' only/);
});
