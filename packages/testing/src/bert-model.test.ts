import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceLogits, referencePooled } from './bert-reference.js';
import { randomBertWeights } from './bert-weights.js';
import { calibrateClassifier } from './calibrate-classifier.js';
import { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
import { onnx } from './onnx-proto.js';
import { TEST_MODEL_SHAPES } from './options.js';
import { encodePairs, loadOrt, mean, runBatch, SAMPLE_PAIRS, PASSAGES, QUERIES, std, type Encoded, type OrtSession } from './test-support.js';

// Runs generated models in ONNX Runtime (the same onnxruntime-node transformers.js uses) and checks
// they behave like a cross-encoder whose scores expose tokenisation, padding and batching mistakes.
const ort = loadOrt();
let root: string;
let model: TestCrossEncoderModel;
let session: OrtSession;
let encoded: Encoded[];
let logits: number[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-bert-'));
  model = await createTestCrossEncoder({ dir: join(root, 'tiny'), ...TEST_MODEL_SHAPES.tiny });
  session = await ort.InferenceSession.create(join(model.dir, 'onnx/model.onnx'));
  encoded = await encodePairs(model.dir, SAMPLE_PAIRS);
  logits = (await runBatch(ort, session, encoded)).map((row) => row[0]!);
});

afterAll(async () => {
  await session?.release();
  await rm(root, { recursive: true, force: true });
});

test('outputs one logit per pair, [batch, 1]', async () => {
  expect(logits).toHaveLength(SAMPLE_PAIRS.length);
  const rows = await runBatch(ort, session, encoded.slice(0, 3));
  expect(rows.map((r) => r.length)).toEqual([1, 1, 1]);
  expect(logits.every(Number.isFinite)).toBe(true);
});

test('ONNX Runtime fuses it like an exported BERT (one Attention op per layer)', async () => {
  const optimized = join(root, 'optimized.onnx');
  // 'extended' holds the transformer fusions and, unlike 'all', writes no machine-specific layout.
  const s = await ort.InferenceSession.create(join(model.dir, 'onnx/model.onnx'), {
    graphOptimizationLevel: 'extended',
    optimizedModelFilePath: optimized,
  });
  await s.release();
  const ops = onnx.ModelProto.decode(await readFile(optimized)).graph!.node!.map((n) => n.opType);
  const count = (op: string): number => ops.filter((o) => o === op).length;
  const layers = TEST_MODEL_SHAPES.tiny.layers;
  expect(count('Attention')).toBe(layers);
  expect(count('LayerNormalization')).toBe(1 + 2 * layers);
  expect(count('BiasGelu')).toBe(layers);
  expect(count('Softmax')).toBe(0);
  expect(count('Erf')).toBe(0);
});

test('computes BERT: matches an independent float64 forward pass', () => {
  const shape = { ...TEST_MODEL_SHAPES.tiny, maxPositions: 512, numLabels: 1 as const };
  const weights = randomBertWeights(shape, 42);
  calibrateClassifier(shape, weights, 42);
  encoded.forEach((e, i) => {
    const expected = referenceLogits(weights, referencePooled(shape, weights, { inputIds: e.ids, tokenTypeIds: e.typeIds }))[0]!;
    expect(Math.abs(logits[i]! - expected)).toBeLessThan(1e-4);
  });
});

test('logits spread over several units and separate the passages of one query', () => {
  expect(std(logits)).toBeGreaterThanOrEqual(1.5);
  // Not saturated: sigmoid scores are spread around 0.5 rather than all near 0 or 1.
  expect(Math.abs(mean(logits))).toBeLessThan(2.5 * std(logits));
  QUERIES.forEach((_, q) => {
    const row = logits.slice(q * PASSAGES.length, (q + 1) * PASSAGES.length);
    expect(std(row)).toBeGreaterThan(0.3);
    const sorted = [...row].sort((a, b) => a - b);
    const closest = Math.min(...sorted.slice(1).map((v, i) => v - sorted[i]!));
    expect(closest).toBeGreaterThan(1e-3);
  });
});

test('a row scores the same alone and right-padded inside a batch', async () => {
  const short = encoded.reduce((a, b) => (a.ids.length <= b.ids.length ? a : b));
  const [alone] = await runBatch(ort, session, [short]);
  const batched = await runBatch(ort, session, [encoded[5]!, short, encoded[17]!], short.ids.length + 40);
  expect(Math.abs(batched[1]![0]! - alone![0]!)).toBeLessThan(1e-4);
});

test('tokenisation mistakes change the score by far more than float noise', async () => {
  const pair = encoded[0]!;
  const [base] = await runBatch(ort, session, [pair]);
  const swappedTypes = { ids: pair.ids, typeIds: pair.typeIds.map((t) => 1 - t) };
  const allZeroTypes = { ids: pair.ids, typeIds: pair.typeIds.map(() => 0) };
  const noFinalSep = { ids: pair.ids.slice(0, -1), typeIds: pair.typeIds.slice(0, -1) };
  const reversed = (await encodePairs(model.dir, [[SAMPLE_PAIRS[0]![1], SAMPLE_PAIRS[0]![0]]]))[0]!;
  const changed = await runBatch(ort, session, [swappedTypes, allZeroTypes, noFinalSep, reversed]);
  for (const [logit] of changed) expect(Math.abs(logit! - base![0]!)).toBeGreaterThan(0.05);
});

test('masked padding is ignored, but unmasked padding changes the score', async () => {
  const pair = encoded[3]!;
  const [alone] = await runBatch(ort, session, [pair]);
  const length = pair.ids.length + 16;
  const pad = <T>(values: T[], fill: T): T[] => [...values, ...new Array<T>(length - values.length).fill(fill)];
  const dims = [1, length];
  const run = async (mask: bigint[]): Promise<number> => {
    const { logits: out } = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(pad(pair.ids, 0), BigInt), dims),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(mask), dims),
      token_type_ids: new ort.Tensor('int64', BigInt64Array.from(pad(pair.typeIds, 0), BigInt), dims),
    });
    return (out!.data as Float32Array)[0]!;
  };
  const masked = await run(pad(pair.ids.map(() => 1n), 0n));
  const unmasked = await run(new Array<bigint>(length).fill(1n));
  expect(Math.abs(masked - alone![0]!)).toBeLessThan(1e-4);
  expect(Math.abs(unmasked - alone![0]!)).toBeGreaterThan(0.05);
});

test('the same seed scores identically; another seed scores differently', async () => {
  const [same, other] = await Promise.all([
    createTestCrossEncoder({ dir: join(root, 'tiny-again'), ...TEST_MODEL_SHAPES.tiny }),
    createTestCrossEncoder({ dir: join(root, 'tiny-43'), ...TEST_MODEL_SHAPES.tiny, seed: 43 }),
  ]);
  const score = async (dir: string): Promise<number[]> => {
    const s = await ort.InferenceSession.create(join(dir, 'onnx/model.onnx'));
    try {
      return (await runBatch(ort, s, encoded)).map((row) => row[0]!);
    } finally {
      await s.release();
    }
  };
  expect(await score(same.dir)).toEqual(logits);
  const otherLogits = await score(other.dir);
  expect(mean(otherLogits.map((v, i) => Math.abs(v - logits[i]!)))).toBeGreaterThan(0.5);
});

test('numLabels 2: [batch, 2] logits whose softmax equals the one-label model\'s sigmoid', async () => {
  const two = await createTestCrossEncoder({ dir: join(root, 'two-labels'), ...TEST_MODEL_SHAPES.tiny, numLabels: 2 });
  expect(two.config).toMatchObject({ id2label: { 0: 'LABEL_0', 1: 'LABEL_1' }, label2id: { LABEL_0: 0, LABEL_1: 1 } });
  const twoSession = await ort.InferenceSession.create(join(two.dir, 'onnx/model.onnx'));
  try {
    const rows = await runBatch(ort, twoSession, encoded);
    rows.forEach((row, i) => {
      expect(row).toHaveLength(2);
      const positive = 1 / (1 + Math.exp(row[0]! - row[1]!));
      expect(Math.abs(positive - 1 / (1 + Math.exp(-logits[i]!)))).toBeLessThan(1e-4);
    });
  } finally {
    await twoSession.release();
  }
});
