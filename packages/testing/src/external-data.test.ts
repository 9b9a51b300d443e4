import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
import { isExternal, readOnnxModel } from './external-data.js';
import { onnx } from './onnx-proto.js';
import { resolveOptions, TEST_MODEL_SHAPES } from './options.js';
import { quantizeModel } from './quantize.js';
import { quantizeModelFile } from './quantize-file.js';
import { loadOrt } from './test-support.js';

// ONNX external data (`model.onnx_data`): what a model over protobuf's 2 GB limit needs. A tiny Qwen3
// model written both ways must hold the same weights and compute the same logits.
const ort = loadOrt();
const options = { architecture: 'qwen3', layers: 2, hidden: 32, heads: 4, intermediate: 64, seed: 7, quantized: true } as const;
let root: string;
let inline: TestCrossEncoderModel;
let external: TestCrossEncoderModel;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-external-'));
  inline = await createTestCrossEncoder({ dir: join(root, 'inline'), ...options });
  external = await createTestCrossEncoder({ dir: join(root, 'external'), ...options, externalData: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The last position's logits of one short sequence. */
async function logits(file: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file);
  try {
    const ids = [50, 60, 70, 80];
    const feeds: Record<string, unknown> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new ort.Tensor('int64', BigInt64Array.from(ids, () => 1n), [1, ids.length]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, ids.length]),
    };
    for (let i = 0; i < options.layers; i++) {
      for (const kind of ['key', 'value']) feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]);
    }
    const out = (await session.run(feeds as never)) as unknown as Record<string, { data: Float32Array }>;
    return out['logits']!.data;
  } finally {
    await session.release();
  }
}

test('writes the weights beside the graph, page-aligned, with the references ONNX Runtime reads', async () => {
  expect(external.files).toEqual(expect.arrayContaining(['onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data']));
  expect(inline.files).not.toContain('onnx/model.onnx_data');
  expect(external.config['crossrank_test_model']).toMatchObject({ externalData: true });
  const graph = onnx.ModelProto.decode(await readFile(join(external.dir, 'onnx/model.onnx'))).graph!;
  const stored = graph.initializer!.filter(isExternal);
  // The embedding table and every layer matrix; small constants stay inline.
  expect(stored.length).toBeGreaterThan(7 * options.layers);
  for (const tensor of stored) {
    const entries = Object.fromEntries(tensor.externalData!.map((e) => [e.key, e.value]));
    expect(entries['location']).toBe('model.onnx_data');
    expect(Number(entries['offset']) % 4096).toBe(0);
    expect(tensor.rawData?.length ?? 0).toBe(0);
  }
  const size = (file: string) => stat(join(external.dir, file)).then((s) => s.size);
  expect(await size('onnx/model.onnx')).toBeLessThan(0.1 * (await size('onnx/model.onnx_data')));
});

test('the external and the inline model hold the same weights and compute the same logits, fp32 and q8', async () => {
  for (const file of ['onnx/model.onnx', 'onnx/model_quantized.onnx']) {
    const { model, external: wasExternal } = await readOnnxModel(join(external.dir, file));
    expect(wasExternal).toBe(true);
    expect(Buffer.from(onnx.ModelProto.encode(model).finish()).equals(await readFile(join(inline.dir, file)))).toBe(true);
    expect(Array.from(await logits(join(external.dir, file)))).toEqual(Array.from(await logits(join(inline.dir, file))));
  }
});

test('quantizeModelFile reads external data and writes it again; quantizeModel asks for it', async () => {
  const out = join(root, 'requantized', 'model_quantized.onnx');
  await mkdir(join(root, 'requantized'));
  await quantizeModelFile(join(external.dir, 'onnx/model.onnx'), out);
  expect((await stat(`${out}_data`)).size).toBe((await stat(join(external.dir, 'onnx/model_quantized.onnx_data'))).size);
  expect(Array.from(await logits(out))).toEqual(Array.from(await logits(join(inline.dir, 'onnx/model_quantized.onnx'))));
  const graphOnly = onnx.ModelProto.decode(await readFile(join(external.dir, 'onnx/model.onnx')));
  expect(() => quantizeModel(graphOnly)).toThrow(/stored in external data .* Use quantizeModelFile/);
});

test('adds the quantized file and its external data to a folder made without them', async () => {
  const { quantized: _no, ...fp32Only } = options;
  const dir = join(root, 'added');
  expect((await createTestCrossEncoder({ dir, ...fp32Only, externalData: true })).files).not.toContain('onnx/model_quantized.onnx');
  const added = await createTestCrossEncoder({ dir, ...options, externalData: true });
  expect(added.files).toEqual(expect.arrayContaining(['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data']));
  expect(Array.from(await logits(join(dir, 'onnx/model_quantized.onnx')))).toEqual(Array.from(await logits(join(inline.dir, 'onnx/model_quantized.onnx'))));
  expect((await readdir(root)).filter((name) => name.includes('.tmp-'))).toEqual([]);
});

test('a reused folder is rebuilt when asked for the other layout', async () => {
  const dir = join(root, 'external');
  const again = await createTestCrossEncoder({ dir, ...options });
  expect(again.files).not.toContain('onnx/model.onnx_data');
  expect(again.config['crossrank_test_model']).not.toHaveProperty('externalData');
});

test('defaults to external data only for a qwen3 shape whose fp32 weights exceed 2 GB', () => {
  const dir = join(root, 'unused');
  expect(resolveOptions({ dir, architecture: 'qwen3', ...TEST_MODEL_SHAPES.qwen3Reranker06B, vocabSize: 151_669 }).externalData).toBe(true);
  expect(resolveOptions({ dir, architecture: 'qwen3', ...TEST_MODEL_SHAPES.qwen3Reranker06B }).externalData).toBe(false);
  expect(resolveOptions({ dir, ...TEST_MODEL_SHAPES.miniLM }).externalData).toBe(false);
  expect(resolveOptions({ dir, externalData: true }).externalData).toBe(true);
});
