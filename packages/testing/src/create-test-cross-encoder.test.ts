import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '@crossrank/core';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from './index.js';
import { tokenizerAssetsDir } from './hf-folder.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-create-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const tiny = TEST_MODEL_SHAPES.tiny;
const readJson = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

test('writes a Hugging Face model folder with the real tokenizer', async () => {
  const dir = join(root, 'layout');
  const model = await createTestCrossEncoder({ dir, ...tiny, maxPositions: 128 });

  expect(model.dir).toBe(dir);
  expect(model.files).toEqual(['config.json', 'onnx/model.onnx', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
  const config = await readJson(join(dir, 'config.json'));
  expect(model.config).toEqual(config);
  expect(config).toMatchObject({
    architectures: ['BertForSequenceClassification'],
    model_type: 'bert',
    hidden_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    intermediate_size: 128,
    max_position_embeddings: 128,
    vocab_size: 30522,
    type_vocab_size: 2,
    id2label: { 0: 'LABEL_0' },
    label2id: { LABEL_0: 0 },
    crossrank_test_model: { seed: 42, layers: 2, hidden: 32, heads: 4, intermediate: 128, maxPositions: 128, numLabels: 1 },
  });
  expect(await readJson(join(dir, 'tokenizer_config.json'))).toMatchObject({ model_max_length: 128, tokenizer_class: 'BertTokenizer' });
  expect(await readJson(join(dir, 'tokenizer.json'))).toMatchObject({ truncation: { max_length: 128 } });
  const assets = tokenizerAssetsDir();
  for (const file of ['vocab.txt', 'special_tokens_map.json']) {
    // Buffer.equals: jest's toEqual walks a 230 kB buffer byte by byte, slowly.
    expect((await readFile(join(dir, file))).equals(await readFile(join(assets, file)))).toBe(true);
  }
  // Nothing left behind next to the folder.
  expect((await readdir(root)).filter((name) => name.startsWith('layout'))).toEqual(['layout']);
});

test('the same seed and shape give byte-identical models; another seed does not', async () => {
  const [a, b, c] = await Promise.all([
    createTestCrossEncoder({ dir: join(root, 'seed-a'), ...tiny, seed: 7 }),
    createTestCrossEncoder({ dir: join(root, 'seed-b'), ...tiny, seed: 7 }),
    createTestCrossEncoder({ dir: join(root, 'seed-c'), ...tiny, seed: 8 }),
  ]);
  const bytes = await Promise.all([a, b, c].map((m) => readFile(join(m.dir, 'onnx/model.onnx'))));
  expect(bytes[0]!.equals(bytes[1]!)).toBe(true);
  expect(bytes[0]!.equals(bytes[2]!)).toBe(false);
  expect(bytes[0]!.length).toBe(bytes[2]!.length);
});

test('reuses a folder that already holds the same model, without rewriting it', async () => {
  const dir = join(root, 'reuse');
  const started = performance.now();
  await createTestCrossEncoder({ dir, ...tiny });
  const generateMs = performance.now() - started;
  const before = await stat(join(dir, 'onnx/model.onnx'));

  const again = performance.now();
  const reused = await createTestCrossEncoder({ dir, ...tiny });
  const reuseMs = performance.now() - again;
  const after = await stat(join(dir, 'onnx/model.onnx'));

  expect(after.ino).toBe(before.ino);
  expect(after.mtimeMs).toBe(before.mtimeMs);
  expect(reuseMs).toBeLessThan(generateMs);
  expect(reused.files).toContain('onnx/model.onnx');
});

test('adds the quantized file to a matching folder, leaving the fp32 model alone', async () => {
  const dir = join(root, 'add-quantized');
  await createTestCrossEncoder({ dir, ...tiny });
  const before = await stat(join(dir, 'onnx/model.onnx'));
  const model = await createTestCrossEncoder({ dir, ...tiny, quantized: true });
  expect(model.files).toContain('onnx/model_quantized.onnx');
  expect((await stat(join(dir, 'onnx/model.onnx'))).ino).toBe(before.ino);
  // A later call without `quantized` still reuses the folder (and keeps the file).
  expect((await createTestCrossEncoder({ dir, ...tiny })).files).toContain('onnx/model_quantized.onnx');
});

test('regenerates when options change or force is set', async () => {
  const dir = join(root, 'regen');
  await createTestCrossEncoder({ dir, ...tiny, seed: 1 });
  const first = await readFile(join(dir, 'onnx/model.onnx'));
  const firstIno = (await stat(join(dir, 'onnx/model.onnx'))).ino;

  const changed = await createTestCrossEncoder({ dir, ...tiny, seed: 2 });
  expect(changed.config).toMatchObject({ crossrank_test_model: { seed: 2 } });
  expect((await readFile(join(dir, 'onnx/model.onnx'))).equals(first)).toBe(false);

  await createTestCrossEncoder({ dir, ...tiny, seed: 1 });
  await createTestCrossEncoder({ dir, ...tiny, seed: 1, force: true });
  const forced = await stat(join(dir, 'onnx/model.onnx'));
  expect(forced.ino).not.toBe(firstIno);
  expect((await readFile(join(dir, 'onnx/model.onnx'))).equals(first)).toBe(true);
  expect((await readdir(root)).filter((name) => name.startsWith('regen'))).toEqual(['regen']);
});

test('concurrent calls for one folder all succeed and leave one complete model', async () => {
  const dir = join(root, 'race');
  const models = await Promise.all([1, 2, 3, 4].map((i) => createTestCrossEncoder({ dir, ...tiny, quantized: i % 2 === 0 })));
  for (const model of models) expect(model.dir).toBe(dir);
  const files = (await readdir(join(dir, 'onnx'))).sort();
  expect(files).toEqual(['model.onnx', 'model_quantized.onnx']);
  expect((await readdir(root)).filter((name) => name.startsWith('race'))).toEqual(['race']);
});

test('clears staging folders abandoned by killed processes, but not fresh ones', async () => {
  const dir = join(root, 'abandoned');
  const old = `${dir}.tmp-99999-deadbeef`;
  const fresh = `${dir}.tmp-99998-cafebabe`;
  await mkdir(join(old, 'onnx'), { recursive: true });
  await mkdir(fresh);
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  await utimes(old, hourAgo, hourAgo);
  await createTestCrossEncoder({ dir, ...tiny });
  expect((await readdir(root)).filter((name) => name.startsWith('abandoned')).sort()).toEqual(['abandoned', 'abandoned.tmp-99998-cafebabe']);
});

test('refuses to overwrite a folder that is not a test model', async () => {
  const dir = join(root, 'foreign');
  await mkdir(dir);
  await writeFile(join(dir, 'notes.txt'), 'keep me');
  await expect(createTestCrossEncoder({ dir, ...tiny })).rejects.toThrow(InvalidInputError);
  await expect(createTestCrossEncoder({ dir, ...tiny, force: true })).rejects.toThrow(/not a crossrank test model folder/);
  expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
});

test.each([
  [undefined, /options must be an object/],
  [{}, /options\.dir must be a non-empty folder path/],
  [{ dir: 'x', hidden: 30, heads: 4 }, /options\.hidden \(30\) must be a multiple of options\.heads \(4\)/],
  [{ dir: 'x', layers: 0 }, /options\.layers must be an integer from 1/],
  [{ dir: 'x', intermediate: 1.5 }, /options\.intermediate must be an integer/],
  [{ dir: 'x', maxPositions: 4 }, /options\.maxPositions must be an integer from 8/],
  [{ dir: 'x', numLabels: 3 }, /options\.numLabels must be 1 or 2, got 3/],
  [{ dir: 'x', seed: '42' }, /options\.seed must be an integer, got "42"/],
  [{ dir: 'x', quantized: 'yes' }, /options\.quantized must be true or false/],
])('rejects bad options %j', async (options, message) => {
  const call = createTestCrossEncoder(options as never);
  await expect(call).rejects.toThrow(InvalidInputError);
  await expect(createTestCrossEncoder(options as never)).rejects.toThrow(message);
});

describe('defaultTestModelDir', () => {
  const saved = process.env.CROSSRANK_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.CROSSRANK_CACHE_DIR;
    else process.env.CROSSRANK_CACHE_DIR = saved;
  });

  test('uses CROSSRANK_CACHE_DIR, else <cwd>/.cache/crossrank', () => {
    process.env.CROSSRANK_CACHE_DIR = join(root, 'cache');
    expect(defaultTestModelDir('tiny')).toBe(join(root, 'cache', 'models', 'tiny'));
    delete process.env.CROSSRANK_CACHE_DIR;
    expect(defaultTestModelDir('tiny')).toBe(join(process.cwd(), '.cache', 'crossrank', 'models', 'tiny'));
  });

  test('rejects names that leave the cache folder', () => {
    expect(() => defaultTestModelDir('../elsewhere')).toThrow(InvalidInputError);
    expect(() => defaultTestModelDir('')).toThrow(/non-empty model name/);
  });
});
