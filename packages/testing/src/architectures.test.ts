import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specOf, type TestArchitecture } from './architecture.js';
import { referenceLogits, referencePooled } from './bert-reference.js';
import { randomBertWeights, type BertShape } from './bert-weights.js';
import { calibrateClassifier } from './calibrate-classifier.js';
import { createTestCrossEncoder, type TestCrossEncoderModel } from './create-test-cross-encoder.js';
import { onnx } from './onnx-proto.js';
import { resolveOptions, TEST_MODEL_SHAPES } from './options.js';
import { encodePairs, loadOrt, pearson, SAMPLE_PAIRS, std, type Encoded, type OrtSession } from './test-support.js';

// ELECTRA and XLM-RoBERTa sequence classifiers, checked like BERT (bert-model.test.ts): ONNX Runtime
// against the independent float64 reference, a row batched equals it alone, and the q8 variant. The
// engine loading and scoring them is checked in @crossrank/onnx (architectures.test.ts).
const ort = loadOrt();
const report = (line: string): void => {
  if (process.env['CROSSRANK_FIDELITY_REPORT']) process.stdout.write(`${line}\n`);
};

interface Variant {
  label: string;
  architecture: TestArchitecture;
  embeddingSize?: number;
}
const VARIANTS: Variant[] = [
  { label: 'ELECTRA (embedding 16 projected to hidden 32)', architecture: 'electra', embeddingSize: 16 },
  { label: 'ELECTRA (embedding = hidden, as electra-base)', architecture: 'electra' },
  { label: 'XLM-RoBERTa', architecture: 'xlm-roberta' },
];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-arch-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs rows right-padded to `padTo` with `padId` (mask 0), feeding token types only if the graph takes them. */
async function run(session: OrtSession, rows: readonly Encoded[], padId: number, tokenTypes: boolean, padTo = 0): Promise<number[]> {
  const length = Math.max(padTo, ...rows.map((e) => e.ids.length));
  const ids = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const mask = new BigInt64Array(rows.length * length);
  const types = new BigInt64Array(rows.length * length);
  rows.forEach((e, b) => e.ids.forEach((id, t) => {
    ids[b * length + t] = BigInt(id);
    mask[b * length + t] = 1n;
    types[b * length + t] = BigInt(e.typeIds[t]!);
  }));
  const dims = [rows.length, length];
  const feeds: Record<string, unknown> = { input_ids: new ort.Tensor('int64', ids, dims), attention_mask: new ort.Tensor('int64', mask, dims) };
  if (tokenTypes) feeds['token_type_ids'] = new ort.Tensor('int64', types, dims);
  const { logits } = await session.run(feeds as never);
  return Array.from(logits!.data as Float32Array);
}

describe.each(VARIANTS)('$label', (variant) => {
  const options = { ...TEST_MODEL_SHAPES.tiny, architecture: variant.architecture, ...(variant.embeddingSize ? { embeddingSize: variant.embeddingSize } : {}) };
  const spec = specOf({ architecture: variant.architecture });
  let model: TestCrossEncoderModel;
  let session: OrtSession;
  let encoded: Encoded[];
  let alone: number[];

  beforeAll(async () => {
    model = await createTestCrossEncoder({ dir: join(root, variant.label.replace(/\W+/g, '-')), quantized: true, ...options });
    session = await ort.InferenceSession.create(join(model.dir, 'onnx/model.onnx'));
    encoded = await encodePairs(model.dir, SAMPLE_PAIRS);
    alone = [];
    for (const e of encoded) alone.push((await run(session, [e], spec.pad, spec.tokenTypes))[0]!);
  });
  afterAll(async () => {
    await session?.release();
  });

  it('writes the Hugging Face config and inputs of the architecture', async () => {
    expect(model.config).toMatchObject({ architectures: [spec.className], model_type: spec.modelType, pad_token_id: spec.pad });
    const graph = onnx.ModelProto.decode(await readFile(join(model.dir, 'onnx/model.onnx'))).graph!;
    expect(graph.input!.map((i) => i.name)).toEqual(spec.tokenTypes ? ['input_ids', 'attention_mask', 'token_type_ids'] : ['input_ids', 'attention_mask']);
    const names = graph.initializer!.map((t) => t.name);
    expect(names.some((n) => n!.includes('embeddings_project'))).toBe(variant.embeddingSize !== undefined);
    if (variant.architecture === 'xlm-roberta') {
      expect(model.config).toMatchObject({ max_position_embeddings: 514, type_vocab_size: 1, layer_norm_eps: 1e-5 });
      expect(model.files).not.toContain('vocab.txt');
      // Pairs are <s> A </s></s> B </s>, all type 0.
      expect(encoded[0]!.ids[0]).toBe(0);
      expect(encoded[0]!.ids.filter((id) => id === 2)).toHaveLength(3);
      expect(encoded[0]!.typeIds.every((t) => t === 0)).toBe(true);
    }
  });

  it('computes the architecture: matches the independent float64 forward pass', () => {
    const { shape, seed } = resolveOptions({ dir: model.dir, ...options });
    const weights = randomBertWeights(shape, seed);
    calibrateClassifier(shape, weights, seed);
    let worst = 0;
    encoded.forEach((e, i) => {
      const expected = referenceLogits(weights, referencePooled(shape as BertShape, weights, { inputIds: e.ids, tokenTypeIds: e.typeIds }))[0]!;
      worst = Math.max(worst, Math.abs(alone[i]! - expected));
    });
    report(`${variant.label}: ONNX vs reference, max |diff| ${worst.toExponential(2)} over ${encoded.length} pairs; logit std ${std(alone).toFixed(2)}`);
    expect(worst).toBeLessThan(1e-4);
    expect(std(alone)).toBeGreaterThan(1);
  });

  it('a row scores the same alone and right-padded in a batch', async () => {
    const batch = [encoded[5]!, encoded[0]!, encoded[17]!, encoded[30]!];
    const batched = await run(session, batch, spec.pad, spec.tokenTypes, Math.max(...batch.map((e) => e.ids.length)) + 40);
    const worst = Math.max(...batch.map((e, i) => Math.abs(batched[i]! - alone[encoded.indexOf(e)]!)));
    report(`${variant.label}: batched vs alone, max |diff| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
  });

  it('padding: which pad id a batch is padded with, and what a wrong one does', async () => {
    const batch = [encoded[5]!, encoded[0]!, encoded[17]!];
    const padTo = Math.max(...batch.map((e) => e.ids.length)) + 40;
    const worstWith = async (padId: number) => {
      const batched = await run(session, batch, padId, spec.tokenTypes, padTo);
      return Math.max(...batch.map((e, i) => Math.abs(batched[i]! - alone[encoded.indexOf(e)]!)));
    };
    const wrongId = spec.pad === 1 ? 0 : 1;
    report(`${variant.label}: padded with ${spec.pad} max |diff| ${(await worstWith(spec.pad)).toExponential(2)}; padded with ${wrongId} ${(await worstWith(wrongId)).toExponential(2)}`);
    expect(await worstWith(spec.pad)).toBeLessThan(1e-4);
  });

  it('the q8 variant tracks fp32', async () => {
    const q8 = await ort.InferenceSession.create(join(model.dir, 'onnx/model_quantized.onnx'));
    try {
      const quantized: number[] = [];
      for (const e of encoded) quantized.push((await run(q8, [e], spec.pad, spec.tokenTypes))[0]!);
      const r = pearson(quantized, alone);
      report(`${variant.label}: q8 vs fp32 pearson ${r.toFixed(4)}, max |diff| ${Math.max(...quantized.map((v, i) => Math.abs(v - alone[i]!))).toFixed(3)}`);
      // Loose: u8 x s8 kernels saturate on AVX2-only CPUs, and tiny widths quantize coarsely; a
      // broken quantization (wrong scale or zero point) correlates near 0.
      expect(r).toBeGreaterThan(0.8);
    } finally {
      await q8.release();
    }
  });
});
