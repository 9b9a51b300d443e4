import { CrossrankError, DisposedError, ModelNotFoundError } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir, TEST_MODEL_SHAPES } from '@crossrank/testing';
import { Document } from '@langchain/core/documents';
import { join } from 'node:path';
import { CrossEncoderReranker } from './cross-encoder-reranker.js';

// The adapter over a real (generated) cross-encoder: its ranking must be exactly the core's own.
const QUERY = 'how do tides follow the moon';
const TEXTS = [
  'Tides follow the moon as it pulls on the oceans.',
  'Bread rises because yeast makes gas.',
  'The moon has no air and no weather.',
  'Volcanoes erupt when magma rises.',
  'Spring tides come when the sun and moon line up.',
  'A tide table lists high and low water.',
  'Coffee turns bitter when over-extracted.',
  'The moon orbits the earth every 27 days.',
];
const docs = TEXTS.map((text, i) => new Document({ pageContent: text, id: `d${i}`, metadata: { i } }));

let dir: string;
let model: CrossEncoder;

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('langchain-unit'), ...TEST_MODEL_SHAPES.tiny, seed: 3 }));
  model = await CrossEncoder.load(dir);
});

afterAll(() => model?.dispose());

describe('CrossEncoderReranker over a core CrossEncoder', () => {
  it("keeps the CrossEncoder's own top 3, in its order, with its scores (model loaded from a folder)", async () => {
    const compressor = new CrossEncoderReranker({ model: dir });
    try {
      const kept = await compressor.compressDocuments(docs, QUERY);
      const expected = await model.rerank(QUERY, TEXTS, { topN: 3 });
      expect(kept.map((doc) => doc.metadata['i'])).toEqual(expected.map((r) => r.index));
      kept.forEach((doc, k) => expect(doc.metadata['relevanceScore']).toBeCloseTo(expected[k]!.score, 6));
    } finally {
      await compressor.dispose();
    }
  });

  it('applies topN and scoreThreshold as the CrossEncoder does', async () => {
    const all = await model.rerank(QUERY, TEXTS);
    // A threshold between the 4th and 5th scores: it, not topN, decides how many are kept.
    const threshold = (all[3]!.score + all[4]!.score) / 2;
    const compressor = new CrossEncoderReranker({ reranker: model, topN: 6, scoreThreshold: threshold });
    const kept = await compressor.compressDocuments(docs, QUERY);
    expect(kept.map((doc) => doc.metadata['i'])).toEqual(all.slice(0, 4).map((r) => r.index));

    const top5 = await new CrossEncoderReranker({ reranker: model, topN: 5 }).rerank(docs, QUERY);
    expect(top5).toEqual(all.slice(0, 5).map(({ index, score }) => ({ index, relevanceScore: score })));
  });

  it("surfaces the core's typed errors: a missing model folder, a disposed model", async () => {
    const missing = new CrossEncoderReranker({ model: join(dir, 'no-such-model'), modelOptions: { localFilesOnly: true } });
    await expect(missing.compressDocuments(docs, QUERY)).rejects.toThrow(ModelNotFoundError);

    const disposable = await CrossEncoder.load(dir);
    await disposable.dispose();
    const failure = new CrossEncoderReranker({ reranker: disposable }).compressDocuments(docs, QUERY);
    await expect(failure).rejects.toThrow(DisposedError);
    await expect(failure).rejects.toThrow(CrossrankError);
  });
});
