// Issue 12, items 4-7 on a loaded engine: bad input and absurd options fail typed and early, broken
// files are named, and inputs are read once when the call starts.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CrossEncoder } from './cross-encoder';
import { InvalidInputError, ModelFormatError, ModelNotFoundError } from './errors';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

let dir: string;
let ce: CrossEncoder;
const scratch: string[] = [];

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny'), quantized: true }));
  ce = await CrossEncoder.load(dir);
});

afterAll(async () => {
  await ce?.dispose();
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

function copyModel(): string {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'crossrank-inputs-'));
  scratch.push(copy);
  cpSync(dir, copy, { recursive: true });
  return copy;
}

describe('predict rejects only with typed errors (item 4)', () => {
  it('names a hole in pairs and a null options object', async () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [['q', 'a'], , ['q', 'b']] as unknown as Array<[string, string]>;
    await expect(ce.predict(holey)).rejects.toThrow(/pairs\[1\] .* got a hole/);
    await expect(ce.predict(new Array(2))).rejects.toThrow(InvalidInputError);
    await expect(ce.predict([['q', 'a']], null as never)).rejects.toThrow(/options must be an object, got null/);
    await expect(ce.predict([['q', 'a']], { signal: 'nope' } as never)).rejects.toThrow(/options\.signal must be an AbortSignal/);
    await expect(ce.rerank('q', ['a'], { signal: 'nope' } as never)).rejects.toThrow(/options\.signal must be an AbortSignal/);
    expect((await ce.predict([['q', 'a']])).length).toBe(1);
  });
});

describe('load rejects out-of-range counts before anything is created (item 5)', () => {
  // A folder that does not exist: a typed InvalidInputError (not ModelNotFoundError) proves the
  // options were checked before the model was looked for.
  const nowhere = path.join(os.tmpdir(), 'crossrank-no-such-model-for-bounds');
  it.each([
    [{ threads: 1000 }, /options\.threads must be an integer from 1 to \d+ \(4 per CPU core/],
    [{ threads: 100000 }, /options\.threads/],
    [{ batchSize: 1e9 }, /options\.batchSize must be an integer from 1 to 4096/],
    [{ maxBatchTokens: 2 ** 40 }, /options\.maxBatchTokens/],
    [{ maxLength: 1e9 }, /options\.maxLength/],
    [{ sessionOptions: { intraOpNumThreads: 100000 } }, /options\.sessionOptions\.intraOpNumThreads/],
    [{ sessionOptions: { intraOpNumThreads: 'x' } }, /options\.sessionOptions\.intraOpNumThreads/],
    [{ sessionOptions: { graphOptimizationLevel: 'max' } }, /options\.sessionOptions\.graphOptimizationLevel/],
    [{ sessionOptions: 'fast' }, /options\.sessionOptions must be an object/],
    [{ onProgress: 'x' }, /options\.onProgress must be a function/],
    [{ cacheDir: 42 }, /options\.cacheDir/],
    [{ localFilesOnly: 'yes' }, /options\.localFilesOnly must be a boolean/],
    [{ modelFile: 'onnx/model.bin' }, /options\.modelFile must name an \.onnx file .*got a string \("onnx\/model\.bin"\)/],
    [{ modelFile: '../other/model.onnx' }, /options\.modelFile must be a relative path inside the model's repository or folder/],
    [{ modelFile: '/abs/model.onnx' }, /options\.modelFile must be a relative path/],
    [{ modelFile: 'onnx\\model.onnx' }, /options\.modelFile must be a relative path/],
    [{ modelFile: 7 }, /options\.modelFile must be a non-empty string/],
    [{ modelFile: 'onnx/model_O3.onnx', dtype: 'q8' }, /Pass options\.dtype or options\.modelFile, not both/],
    [{ revision: '../../etc' }, /options\.revision must be a branch, a tag or a full commit hash/],
    [{ revision: 'refs//pr' }, /options\.revision/],
  ])('%j', async (options, message) => {
    const error = await CrossEncoder.load(nowhere, options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('modelFile picks any ONNX file of a local folder (issue 19)', () => {
  it('loads the file named, treats a quantized name as q8, and lists the ONNX files when it is missing', async () => {
    const copy = copyModel();
    cpSync(path.join(copy, 'onnx', 'model_quantized.onnx'), path.join(copy, 'onnx', 'model_quint8_avx2.onnx'));
    const viaFile = await CrossEncoder.load(copy, { modelFile: 'onnx/model_quint8_avx2.onnx', workers: 0 });
    const viaDtype = await CrossEncoder.load(copy, { dtype: 'q8', workers: 0 });
    try {
      expect(viaFile.info).toMatchObject({ modelFile: 'onnx/model_quint8_avx2.onnx', dtype: 'q8', batchSize: 1 });
      expect(viaDtype.info.modelFile).toBe('onnx/model_quantized.onnx');
      const pairs: [string, string][] = [['what is a bridge network', 'Docker attaches containers to the docker0 bridge.']];
      expect(Array.from(await viaFile.predict(pairs))).toEqual(Array.from(await viaDtype.predict(pairs)));
    } finally {
      await Promise.all([viaFile.dispose(), viaDtype.dispose()]);
    }
    const error = await CrossEncoder.load(copy, { modelFile: 'onnx/model_O3.onnx' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toMatch(/has no onnx\/model_O3\.onnx \(options\.modelFile\)\. ONNX files in .*onnx: model\.onnx, model_quantized\.onnx, model_quint8_avx2\.onnx\./);
  });
});

describe('load names the file that is wrong (item 6)', () => {
  it.each([
    ['empty', '', /config\.json is empty/],
    ['not JSON', '{"model_type": "bert",', /config\.json is not valid JSON/],
    ['not an object', '[1, 2]', /config\.json must hold a JSON object/],
  ])('a config.json that is %s', async (_what, text, message) => {
    const copy = copyModel();
    writeFileSync(path.join(copy, 'config.json'), text);
    const error = await CrossEncoder.load(copy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFormatError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toMatch(/model\.onnx/);
  });
});

describe('inputs are read once, when the call starts (item 7)', () => {
  it('shortening documents during a rerank changes nothing and invents no score', async () => {
    const documents = Array.from({ length: 3000 }, (_, i) => `document ${i} about ${i % 7 === 0 ? 'docker networks' : 'cooking'}`);
    const expected = await ce.rerank('docker networking', [...documents]);
    const running = ce.rerank('docker networking', documents);
    documents.length = 1500;
    const results = await running;
    expect(results).toHaveLength(3000);
    expect(results).toEqual(expected);
  });

  it('rewriting pairs during predict changes nothing', async () => {
    const pairs: Array<[string, string]> = Array.from({ length: 1500 }, (_, i) => ['docker', `text ${i}`]);
    const expected = await ce.predict(pairs.map(([q, d]) => [q, d] as [string, string]));
    const running = ce.predict(pairs);
    pairs.length = 10;
    pairs[0]![1] = 'something else entirely';
    expect(Array.from(await running)).toEqual(Array.from(expected));
  });
});
