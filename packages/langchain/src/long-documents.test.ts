import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { Document } from '@langchain/core/documents';
import { CrossEncoderReranker, RERANK_SPAN_KEY } from './cross-encoder-reranker.js';

// A cross-encoder that splits long documents: each returned Document carries the winning window.
const QUERY = 'how do tides follow the moon';
const long = (seed: number): string =>
  Array.from({ length: 300 }, (_, i) => ['tides', 'moon', 'bread', 'ocean', 'orbit', 'coffee', 'water'][(i * seed + i * i) % 7]).join(' ');

let split: CrossEncoder;
let plain: CrossEncoder;

beforeAll(async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('langchain-unit'), ...TEST_MODEL_SHAPES.tiny, seed: 3 });
  [split, plain] = await Promise.all([CrossEncoder.load(dir, { longDocuments: 'split', window: 40, stride: 20 }), CrossEncoder.load(dir)]);
});
afterAll(async () => {
  await Promise.all([split?.dispose(), plain?.dispose()]);
});

it("puts the best window's span in metadata.rerankSpan, slicing pageContent", async () => {
  const docs = [1, 2, 3].map((seed) => new Document({ pageContent: long(seed), metadata: { seed } }));
  const out = await new CrossEncoderReranker({ reranker: split, topN: 3 }).compressDocuments(docs, QUERY);
  expect(out).toHaveLength(3);
  for (const doc of out) {
    const span = doc.metadata[RERANK_SPAN_KEY] as { start: number; end: number };
    expect(span.end).toBeGreaterThan(span.start);
    expect(span.end - span.start).toBeLessThan(doc.pageContent.length);
    // The span, scored alone, gives the document's score.
    const [alone] = await plain.rerank(QUERY, [doc.pageContent.slice(span.start, span.end)]);
    expect(alone!.score).toBeCloseTo(doc.metadata['relevanceScore'] as number, 4);
  }
  // The caller's documents are untouched.
  expect(docs.every((d) => !(RERANK_SPAN_KEY in d.metadata))).toBe(true);
});

it('adds no span without split', async () => {
  const [doc] = await new CrossEncoderReranker({ reranker: plain, topN: 1 }).compressDocuments([new Document({ pageContent: long(1) })], QUERY);
  expect(RERANK_SPAN_KEY in doc!.metadata).toBe(false);
});
