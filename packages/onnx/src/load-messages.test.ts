import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelNotFoundError } from './errors.js';
import { CrossEncoder } from './cross-encoder.js';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

// Messages a newcomer read (issue 22, item 7): each names what is actually wrong.
let dir: string;
let emptyCache: string;

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('onnx-load-messages') }));
  emptyCache = mkdtempSync(path.join(os.tmpdir(), 'crossrank-empty-cache-'));
});
afterAll(() => rmSync(emptyCache, { recursive: true, force: true }));

async function loadError(model: string, options: Parameters<typeof CrossEncoder.load>[1] = {}): Promise<Error> {
  const error = await CrossEncoder.load(model, { workers: 0, ...options }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ModelNotFoundError);
  return error as Error;
}

it('localFilesOnly with an empty cache says the file is not in the cache, not "fetch failed"', async () => {
  const error = await loadError('Xenova/ms-marco-MiniLM-L-6-v2', { localFilesOnly: true, cacheDir: emptyCache });
  expect(error.message).toMatch(/localFilesOnly is set, so nothing was downloaded, and revision "main" is not in the cache\. Tried: /);
  expect(error.message).toContain(emptyCache);
  expect(error.message).not.toMatch(/fetch failed|Cause:/);
});

it.each([
  ['an absolute path to onnx/model.onnx', () => path.join(dir, 'onnx', 'model.onnx')],
  ['an absolute path to config.json', () => path.join(dir, 'config.json')],
])('%s says it is a file and names the model folder', async (_, model) => {
  const error = await loadError(model());
  expect(error.message).toBe(`${model()} is a file; pass its model folder instead (${dir}), the folder holding config.json, tokenizer.json and onnx/model.onnx.`);
});

it('a relative onnx/model.onnx is a file too, not a hub id', async () => {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const error = await loadError('onnx/model.onnx', { localFilesOnly: true });
    expect(error.message).toMatch(/onnx\/model\.onnx is a file; pass its model folder instead/);
    expect(error.message).toContain(`(${dir})`);
  } finally {
    process.chdir(cwd);
  }
});
