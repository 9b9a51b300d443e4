import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
import { onnx, TensorType } from './onnx-proto.js';
import { TEST_MODEL_SHAPES } from './options.js';
import { quantizeModel, quantizeModelBytes, quantizeModelWithReport } from './quantize.js';
import { encodePairs, loadOrt, mean, pearson, runBatch, SAMPLE_PAIRS, std, type Encoded } from './test-support.js';

const ort = loadOrt();
let root: string;
let model: TestCrossEncoderModel;
let fp32Bytes: Buffer;
let q8Bytes: Buffer;
let encoded: Encoded[];
let fp32: number[];

const logitsOf = async (bytes: Uint8Array): Promise<number[]> => {
  const session = await ort.InferenceSession.create(bytes);
  try {
    return (await runBatch(ort, session, encoded)).map((row) => row[0]!);
  } finally {
    await session.release();
  }
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-quantize-'));
  model = await createTestCrossEncoder({ dir: join(root, 'tiny'), ...TEST_MODEL_SHAPES.tiny, quantized: true });
  fp32Bytes = await readFile(join(model.dir, 'onnx/model.onnx'));
  q8Bytes = await readFile(join(model.dir, 'onnx/model_quantized.onnx'));
  encoded = await encodePairs(model.dir, SAMPLE_PAIRS);
  fp32 = await logitsOf(fp32Bytes);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

test('stores every constant-weight MatMul and embedding table as int8', () => {
  const graph = onnx.ModelProto.decode(q8Bytes).graph!;
  const ops = graph.node!.map((n) => n.opType);
  // 6 per layer: query, key, value, attention output, intermediate, output.
  expect(ops.filter((op) => op === 'DynamicQuantizeMatMul')).toHaveLength(6 * TEST_MODEL_SHAPES.tiny.layers);
  // What stays float MatMul are the two activation x activation products of each attention.
  expect(ops.filter((op) => op === 'MatMul')).toHaveLength(2 * TEST_MODEL_SHAPES.tiny.layers);
  // Word and position tables; the 2 x 32 token-type table is below minElements and stays float.
  expect(ops.filter((op) => op === 'DequantizeLinear')).toHaveLength(2);
  const int8Weights = graph.initializer!.filter((t) => t.dataType === TensorType.INT8 && t.name!.endsWith('_quantized'));
  expect(int8Weights).toHaveLength(6 * TEST_MODEL_SHAPES.tiny.layers + 2);
  expect(q8Bytes.length).toBeLessThan(0.3 * fp32Bytes.length);
});

test('the quantized model runs and tracks the fp32 logits', async () => {
  const q8 = await logitsOf(q8Bytes);
  const diffs = q8.map((v, i) => v - fp32[i]!);
  const spread = std(fp32);
  // Quantization error on the input-independent part of [CLS] is the same for every pair, so most
  // of the difference is a common offset, which leaves rankings alone; what varies per pair is small.
  expect(pearson(q8, fp32)).toBeGreaterThan(0.99);
  expect(Math.abs(mean(diffs))).toBeLessThan(0.2 * spread);
  expect(std(diffs)).toBeLessThan(0.1 * spread);
  expect(Math.max(...diffs.map(Math.abs))).toBeLessThan(0.4 * spread);
});

test('the MatMulInteger form computes the same as DynamicQuantizeMatMul', async () => {
  const proto = onnx.ModelProto.decode(fp32Bytes);
  const integer = quantizeModel(proto, { format: 'MatMulInteger' });
  expect(integer.graph!.node!.some((n) => n.opType === 'MatMulInteger')).toBe(true);
  const [fused, standard] = await Promise.all([logitsOf(q8Bytes), logitsOf(onnx.ModelProto.encode(integer).finish())]);
  standard.forEach((v, i) => expect(Math.abs(v - fused[i]!)).toBeLessThan(1e-3));
});

test('per-tensor and 7-bit variants run and still track fp32', async () => {
  const proto = onnx.ModelProto.decode(fp32Bytes);
  for (const options of [{ perChannel: false }, { reduceRange: true }, { quantizeGather: false, fuseBias: false }]) {
    const q = await logitsOf(onnx.ModelProto.encode(quantizeModel(proto, options)).finish());
    expect(pearson(q, fp32)).toBeGreaterThan(0.95);
  }
});

test('fused attention (QAttention) scores exactly like the unfused graph, with 7- and 8-bit weights', async () => {
  const proto = onnx.ModelProto.decode(fp32Bytes);
  for (const reduceRange of [true, false]) {
    const fused = quantizeModel(proto, { fuseAttention: true, reduceRange });
    const ops = fused.graph!.node!.map((n) => n.opType);
    expect([reduceRange, ops.filter((op) => op === 'QAttention').length, ops.includes('Softmax')]).toEqual([reduceRange, TEST_MODEL_SHAPES.tiny.layers, false]);
    const [unfusedLogits, fusedLogits] = await Promise.all([
      logitsOf(onnx.ModelProto.encode(quantizeModel(proto, { reduceRange })).finish()),
      logitsOf(onnx.ModelProto.encode(fused).finish()),
    ]);
    // Same int8 weights, scales and input quantization: only float rounding inside attention may differ.
    fusedLogits.forEach((v, i) => expect([reduceRange, i, Math.abs(v - unfusedLogits[i]!) < 1e-5]).toEqual([reduceRange, i, true]));
  }
});

test('SkipLayerNormalization computes the residual Add + LayerNorm it replaces', async () => {
  // Float weights only (nothing quantized), so the fusion's formula is checked without int8 noise.
  const floatOnly = { minElements: Number.POSITIVE_INFINITY, quantizeGather: false };
  const fused = quantizeModel(onnx.ModelProto.decode(fp32Bytes), { ...floatOnly, fuseSkipLayerNorm: true });
  expect(fused.graph!.node!.filter((n) => n.opType === 'SkipLayerNormalization')).toHaveLength(2 * TEST_MODEL_SHAPES.tiny.layers);
  const logits = await logitsOf(onnx.ModelProto.encode(fused).finish());
  logits.forEach((v, i) => expect(Math.abs(v - fp32[i]!)).toBeLessThan(1e-4));
});

test('quantizing the written fp32 file reproduces the written quantized file, without mutating its input', () => {
  expect(Buffer.from(quantizeModelBytes(fp32Bytes)).equals(q8Bytes)).toBe(true);
  const proto = onnx.ModelProto.decode(fp32Bytes);
  const { report } = quantizeModelWithReport(proto, { minElements: 1 });
  expect(report).toEqual({ matMuls: 6 * TEST_MODEL_SHAPES.tiny.layers, gathers: 3 });
  expect(Buffer.from(onnx.ModelProto.encode(proto).finish()).equals(fp32Bytes)).toBe(true);
});

test('leaves small weights, excluded nodes and non-constant MatMuls alone', async () => {
  const proto = onnx.ModelProto.decode(fp32Bytes);
  expect(quantizeModelWithReport(proto, { minElements: 1_000_000_000 }).report).toEqual({ matMuls: 0, gathers: 0 });
  const partial = quantizeModelWithReport(proto, { excludeNodes: /\/intermediate\/|word_embeddings/ });
  expect(partial.report).toEqual({ matMuls: 5 * TEST_MODEL_SHAPES.tiny.layers, gathers: 1 });
  const ops = partial.model.graph!.node!.map((n) => n.opType);
  expect(ops.filter((op) => op === 'MatMul')).toHaveLength(3 * TEST_MODEL_SHAPES.tiny.layers);
  expect(pearson(await logitsOf(onnx.ModelProto.encode(partial.model).finish()), fp32)).toBeGreaterThan(0.99);
});
