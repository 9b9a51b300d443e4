import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CrossEncoder } from './cross-encoder';
import {
  DisposedError,
  InvalidInputError,
  ModelFormatError,
  ModelNotFoundError,
  RerankAbortedError,
  TokenizerNotFoundError,
} from './errors';
import { sigmoid } from './scores';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';

const QUERY = 'How does Docker networking work?';
const DOCS = [
  'Docker creates a bridge network named docker0 and attaches containers to it by default.',
  'Kubernetes pods share a network namespace and talk to each other over a flat network.',
  'Django is a Python web framework with an ORM and an admin site.',
  '',
  'With host networking a container shares the host network stack and publishes no ports.',
  'Containers on a user-defined bridge network resolve each other by name through the embedded DNS server. '.repeat(60),
  'Port publishing maps a host port to a container port with -p 8080:80.',
];

let dir: string;
let ce: CrossEncoder;

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-tiny'), quantized: true }));
  ce = await CrossEncoder.load(dir);
});

afterAll(async () => {
  await ce?.dispose();
});

describe('CrossEncoder.load', () => {
  it('loads a local folder and reads its limits from the model', () => {
    expect(ce.info.maxLength).toBe(512);
    expect(ce.info.numLabels).toBe(1);
    expect(ce.info.dtype).toBe('fp32');
    expect(ce.info.loadMs).toBeGreaterThan(0);
  });

  it('names the folder that does not exist', async () => {
    const missing = path.join(os.tmpdir(), 'crossrank-no-such-model-folder');
    const error = await CrossEncoder.load(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as ModelNotFoundError).tried).toEqual([missing]);
  });

  it('says which hub files were tried and how to run offline when nothing is cached', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'crossrank-empty-cache-'));
    const error = await CrossEncoder.load('Xenova/ms-marco-MiniLM-L-6-v2', { localFilesOnly: true, cacheDir }).catch((e: unknown) => e);
    rmSync(cacheDir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect((error as Error).message).toMatch(/localFilesOnly/);
    expect((error as Error).message).toMatch(/To run offline/);
    expect((error as ModelNotFoundError).tried.some((t) => t.startsWith(cacheDir))).toBe(true);
  });

  it('reports a missing tokenizer, a missing dtype file and a corrupt model as typed errors', async () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'crossrank-broken-'));
    try {
      cpSync(dir, broken, { recursive: true });
      await expect(CrossEncoder.load(broken, { dtype: 'fp16' })).rejects.toThrow(/no onnx\/model_fp16\.onnx.*"fp32", "q8"/s);
      writeFileSync(path.join(broken, 'onnx', 'model.onnx'), 'not a protobuf');
      await expect(CrossEncoder.load(broken)).rejects.toBeInstanceOf(ModelFormatError);
      rmSync(path.join(broken, 'tokenizer.json'));
      await expect(CrossEncoder.load(broken)).rejects.toBeInstanceOf(TokenizerNotFoundError);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('rejects bad options by name', async () => {
    await expect(CrossEncoder.load(dir, { dtype: 'fp64' as never })).rejects.toThrow(/options\.dtype/);
    await expect(CrossEncoder.load(dir, { batchSize: 0 })).rejects.toThrow(/options\.batchSize/);
    await expect(CrossEncoder.load(dir, { maxLength: 4096 })).rejects.toThrow(/exceeds this model's limit of 512/);
  });
});

describe('predict', () => {
  it('returns one raw logit per pair, in input order, independent of batching', async () => {
    const pairs = DOCS.map((d) => [QUERY, d] as const);
    const together = await ce.predict(pairs);
    expect(together).toBeInstanceOf(Float32Array);
    expect(together).toHaveLength(DOCS.length);
    const alone: number[] = [];
    for (const pair of pairs) alone.push((await ce.predict([pair]))[0]!);
    let worst = 0;
    together.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - alone[i]!))));
    expect(worst).toBeLessThan(1e-4);
    // The generated model's head is scaled so the input matters: the logits must differ clearly.
    expect(Math.max(...together) - Math.min(...together)).toBeGreaterThan(0.5);
  });

  it('gives the same logits with tiny batches as with one big batch', async () => {
    const small = await CrossEncoder.load(dir, { batchSize: 2, maxBatchTokens: 64 });
    try {
      const pairs = DOCS.map((d) => [QUERY, d] as const);
      const a = await ce.predict(pairs);
      const b = await small.predict(pairs);
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-4));
    } finally {
      await small.dispose();
    }
  });

  it('validates every pair and names the bad one', async () => {
    await expect(ce.predict([[QUERY, 'ok'], [QUERY, 7 as never]])).rejects.toThrow(/pairs\[1\]/);
    await expect(ce.predict('nope' as never)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await ce.predict([])).toHaveLength(0);
  });
});

describe('rerank', () => {
  it('scores are predict through the declared activation (Identity, as ms-marco-MiniLM-L-6-v2 declares), best first, with indices into the caller array', async () => {
    const logits = await ce.predict(DOCS.map((d) => [QUERY, d] as const));
    const ranked = await ce.rerank(QUERY, DOCS);
    expect(ranked).toHaveLength(DOCS.length);
    for (const { index, score } of ranked) expect(score).toBe(logits[index]!);
    const sigmoidCe = await CrossEncoder.load(dir, { activation: 'sigmoid' });
    const squashed = await sigmoidCe.rerank(QUERY, DOCS).finally(() => sigmoidCe.dispose());
    expect(squashed.map((r) => r.index)).toEqual(ranked.map((r) => r.index));
    for (const { index, score } of squashed) expect(score).toBeCloseTo(sigmoid(logits[index]!), 6);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.score).toBeGreaterThanOrEqual(ranked[i]!.score);
    expect(new Set(ranked.map((r) => r.index)).size).toBe(DOCS.length);
  });

  it('applies topN and scoreThreshold like the contract says', async () => {
    const all = await ce.rerank(QUERY, DOCS);
    expect(await ce.rerank(QUERY, DOCS, { topN: 3 })).toEqual(all.slice(0, 3));
    const threshold = all[2]!.score;
    expect(await ce.rerank(QUERY, DOCS, { scoreThreshold: threshold, topN: 10 })).toEqual(all.filter((r) => r.score >= threshold));
  });

  it('scores empty and whitespace documents, returns [] for no documents, and never mutates input', async () => {
    const docs = Object.freeze(['', '   ', '\n\t', 'docker']);
    const ranked = await ce.rerank('', docs);
    expect(ranked.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
    expect(docs).toEqual(['', '   ', '\n\t', 'docker']);
    expect(await ce.rerank(QUERY, [])).toEqual([]);
  });

  it('rejects a non-string query and names a non-string document', async () => {
    await expect(ce.rerank(undefined as never, DOCS)).rejects.toThrow(/query must be a string/);
    await expect(ce.rerank(QUERY, ['a', null as never])).rejects.toThrow(/documents\[1\]/);
  });

  it('gives the same results to 100 concurrent calls as to sequential ones', async () => {
    const queries = Array.from({ length: 100 }, (_, i) => `${QUERY} ${i % 7 === 0 ? 'bridge' : 'overlay'} ${i}`);
    const sequential = [];
    for (const q of queries.slice(0, 10)) sequential.push(await ce.rerank(q, DOCS));
    const concurrent = await Promise.all(queries.map((q) => ce.rerank(q, DOCS)));
    expect(concurrent.slice(0, 10)).toEqual(sequential);
    expect(concurrent).toHaveLength(100);
  });

  it('aborts before starting and between batches with a typed error', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(ce.rerank(QUERY, DOCS, { signal: controller.signal })).rejects.toBeInstanceOf(RerankAbortedError);

    const small = await CrossEncoder.load(dir, { batchSize: 1 });
    try {
      const later = new AbortController();
      const many = Array.from({ length: 200 }, (_, i) => `document number ${i} about containers`);
      const pending = small.rerank(QUERY, many, { signal: later.signal });
      setTimeout(() => later.abort(new Error('caller gave up')), 5);
      await expect(pending).rejects.toThrow(/aborted: caller gave up/);
    } finally {
      await small.dispose();
    }
  });

  it('refuses calls after dispose', async () => {
    const other = await CrossEncoder.load(dir);
    await other.dispose();
    await expect(other.rerank(QUERY, DOCS)).rejects.toBeInstanceOf(DisposedError);
  });
});

describe('dtype q8', () => {
  it('loads onnx/model_quantized.onnx and ranks like fp32 on this set', async () => {
    const q8 = await CrossEncoder.load(dir, { dtype: 'q8' });
    try {
      const a = await ce.predict(DOCS.map((d) => [QUERY, d] as const));
      const b = await q8.predict(DOCS.map((d) => [QUERY, d] as const));
      expect(q8.info.dtype).toBe('q8');
      // Quantized weights change the numbers a little, not the picture.
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(0.5));
      expect(Array.from(a).some((v, i) => v !== b[i])).toBe(true);
      // Activations are quantized per forward pass, so q8 runs one pair per pass: batch-independent.
      expect(q8.info.batchSize).toBe(1);
      for (let i = 0; i < DOCS.length; i++) {
        const [alone] = await q8.predict([[QUERY, DOCS[i]!]]);
        expect(Math.abs(alone! - b[i]!)).toBeLessThan(1e-4);
      }
    } finally {
      await q8.dispose();
    }
  });
});

describe('two-logit models', () => {
  it('returns positive minus negative logit and scores with the positive softmax', async () => {
    const { dir: twoDir } = await createTestCrossEncoder({ dir: defaultTestModelDir('core-unit-two-logit'), numLabels: 2 });
    const two = await CrossEncoder.load(twoDir, { activation: 'softmax' });
    try {
      expect(two.info.numLabels).toBe(2);
      const ort = ortFor();
      const session = await ort.InferenceSession.create(path.join(twoDir, 'onnx', 'model.onnx'));
      const ids = [101n, 2129n, 102n, 4068n, 102n];
      const t = (v: bigint[]) => new ort.Tensor('int64', BigInt64Array.from(v), [1, v.length]);
      const out = await session.run({ input_ids: t(ids), attention_mask: t(ids.map(() => 1n)), token_type_ids: t([0n, 0n, 0n, 1n, 1n]) });
      const [neg, pos] = out['logits'].data as Float32Array;
      const [logit] = await two.predict([['how', 'berlin']]);
      expect(logit).toBeCloseTo(pos! - neg!, 4);
      const [result] = await two.rerank('how', ['berlin']);
      expect(result!.score).toBeCloseTo(Math.exp(pos!) / (Math.exp(pos!) + Math.exp(neg!)), 5);
      await session.release();
    } finally {
      await two.dispose();
    }
  });
});

describe('model output checks', () => {
  it('rejects an ONNX model whose output is not [batch, 1 | 2]', async () => {
    const bad = mkdtempSync(path.join(os.tmpdir(), 'crossrank-badshape-'));
    try {
      cpSync(dir, bad, { recursive: true });
      writeFileSync(path.join(bad, 'onnx', 'model.onnx'), await wrongShapeModel());
      const error = await CrossEncoder.load(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFormatError);
      expect((error as Error).message).toMatch(/must return float32 \[batch, 1\]/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ortFor(): any {
  const req = createRequire(require.resolve('@huggingface/transformers'));
  return req('onnxruntime-node');
}

/** A valid ONNX graph with BERT's inputs whose "logits" are [batch, sequence]: the wrong shape. */
async function wrongShapeModel(): Promise<Uint8Array> {
  const { onnx } = require('onnx-proto');
  const input = (name: string) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64, shape: { dim: [{ dimParam: 'b' }, { dimParam: 's' }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 14 }],
    graph: {
      name: 'wrong',
      input: [input('input_ids'), input('attention_mask'), input('token_type_ids')],
      output: [{ name: 'logits', type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'b' }, { dimParam: 's' }] } } } }],
      node: [{ opType: 'Cast', input: ['input_ids'], output: ['logits'], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: onnx.TensorProto.DataType.FLOAT }] }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

