import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCrossEncoder, TEST_MODEL_SHAPES, type TestArchitecture, type TestCrossEncoderModel } from '@crossrank/testing';
import { CrossEncoder, type Pair } from './index.js';

// The engine on the ELECTRA and XLM-RoBERTa classifiers @crossrank/testing writes (their graphs are
// checked against a float64 reference there): batched equals alone, the pad id and inputs it feeds,
// the activation each config declares, and the q8 variant.
interface Variant {
  label: string;
  architecture: TestArchitecture;
  embeddingSize?: number;
  pad: number;
  tokenTypes: boolean;
}
const VARIANTS: Variant[] = [
  { label: 'ELECTRA (embedding 16 projected to hidden 32)', architecture: 'electra', embeddingSize: 16, pad: 0, tokenTypes: true },
  { label: 'ELECTRA (embedding = hidden, as electra-base)', architecture: 'electra', pad: 0, tokenTypes: true },
  { label: 'XLM-RoBERTa', architecture: 'xlm-roberta', pad: 1, tokenTypes: false },
];
const QUERY = 'how do docker containers talk to each other';
const DOCS = [
  'Docker containers on one bridge network reach each other by name.',
  'A container joins the default bridge network unless another is given.',
  'Overlay networks span several hosts in a swarm.',
  'Ferries to the islands leave twice a day in winter.',
  'The museum opens at ten.',
  'Host networking removes the isolation between a container and its host, so ports are shared.',
  'Volumes keep data when a container is removed.',
  'Kubernetes pods share one network namespace.',
  'Übersetzung: 容器之间的网络 🐳',
  '',
];
const PAIRS: Pair[] = DOCS.map((d) => [QUERY, d]);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crossrank-onnx-arch-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.each(VARIANTS)('$label', (variant) => {
  let model: TestCrossEncoderModel;
  beforeAll(async () => {
    model = await createTestCrossEncoder({
      dir: join(root, variant.label.replace(/\W+/g, '-')),
      quantized: true,
      ...TEST_MODEL_SHAPES.tiny,
      architecture: variant.architecture,
      ...(variant.embeddingSize ? { embeddingSize: variant.embeddingSize } : {}),
    });
  });

  it('CrossEncoder loads it and scores each pair batched as alone, feeding the pad id and inputs of the architecture', async () => {
    // In-thread (workers: 0), so the test can watch the feeds; worker mode gives bit-identical logits (test/onnx).
    const single = await CrossEncoder.load(model.dir, { batchSize: 1, workers: 0 });
    const ce = await CrossEncoder.load(model.dir, { batchSize: 8, workers: 0 });
    try {
      const alone = await single.predict(PAIRS);
      const ours = await ce.predict(PAIRS);
      expect(Math.max(...Array.from(ours, (v, i) => Math.abs(v - alone[i]!)))).toBeLessThan(1e-4);
      expect(new Set(Array.from(alone, (v) => v.toFixed(3))).size).toBeGreaterThan(5);
      expect(ce.info.activation).toBe(variant.architecture === 'xlm-roberta' ? 'sigmoid' : 'identity');
      expect(await ce.rerank(QUERY, DOCS)).toHaveLength(DOCS.length);

      // What the engine feeds ONNX Runtime (reached through private fields: the feeds are the contract
      // with the graph). Padding cells carry the model's pad id; XLM-R gets no token_type_ids.
      const inner = (ce as unknown as { session: { session: { session: { run: (feeds: Record<string, { data: BigInt64Array }>) => Promise<unknown> } } } }).session.session.session;
      const feeds: Array<Record<string, { data: BigInt64Array }>> = [];
      const original = inner.run.bind(inner);
      inner.run = (f) => {
        feeds.push(f);
        return original(f);
      };
      // Two pairs a few tokens apart share a batch (batch planning keeps very different lengths apart).
      await ce.predict([[QUERY, DOCS[0]!], [QUERY, `${DOCS[0]!} More words.`]]);
      const padded = feeds.flatMap((f) => Array.from(f['input_ids']!.data).filter((_, i) => f['attention_mask']!.data[i] === 0n));
      expect(padded.length).toBeGreaterThan(0);
      expect(new Set(padded)).toEqual(new Set([BigInt(variant.pad)]));
      expect(feeds.every((f) => 'token_type_ids' in f)).toBe(variant.tokenTypes);
    } finally {
      await ce.dispose();
      await single.dispose();
    }
  });

  it('loads the q8 variant, which ranks like fp32', async () => {
    const fp32 = await CrossEncoder.load(model.dir, { workers: 0 });
    const q8 = await CrossEncoder.load(model.dir, { dtype: 'q8', workers: 0 });
    try {
      const a = Array.from(await fp32.predict(PAIRS));
      const b = Array.from(await q8.predict(PAIRS));
      expect(pearson(a, b)).toBeGreaterThan(0.8);
      expect(b.some((v, i) => v !== a[i])).toBe(true);
    } finally {
      await q8.dispose();
      await fp32.dispose();
    }
  });
});

function pearson(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((v, i) => {
    num += (v - ma) * (b[i]! - mb);
    da += (v - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}
