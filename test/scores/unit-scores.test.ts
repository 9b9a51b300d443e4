import { sigmoid } from '@crossrank/core';
import { CrossEncoderReranker } from '@crossrank/langchain';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { Document } from '@langchain/core/documents';
import { TextNode } from 'llamaindex';

// The one documented way to get scores in [0, 1] from any local model, so one threshold works for
// local and API backends: `activation: 'sigmoid'` in the load options, which both adapters pass
// through `modelOptions`. The generated model's config declares Identity (as
// cross-encoder/ms-marco-MiniLM-L-6-v2's does), so its default scores are raw logits.
const QUERY = 'how do containers talk to each other';
const TEXTS = [
  'Containers on one bridge network reach each other by name.',
  'Bread rises because yeast makes gas.',
  'The overlay driver connects containers on different hosts.',
  'Tides follow the moon.',
  'Port publishing maps a container port to the host.',
  'The French Revolution began in 1789.',
];
let dir: string;
let logits: Array<{ index: number; score: number }>;
const open: Array<{ dispose(): Promise<void> }> = [];

beforeAll(async () => {
  ({ dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('unit-scores-tiny'), seed: 5 }));
  const raw = await CrossEncoder.load(dir, { workers: 0 });
  open.push(raw);
  expect(raw.info.activation).toBe('identity');
  logits = await raw.rerank(QUERY, TEXTS);
  // Raw logits: the default scale is not [0, 1] (otherwise this test would prove nothing).
  expect(logits.some((r) => r.score < 0 || r.score > 1)).toBe(true);
});
afterAll(async () => {
  await Promise.all(open.map((o) => o.dispose()));
});

it("CrossEncoder.load(dir, { activation: 'sigmoid' }) scores sigmoid(logit), same order", async () => {
  const ce = await CrossEncoder.load(dir, { workers: 0, activation: 'sigmoid' });
  open.push(ce);
  const results = await ce.rerank(QUERY, TEXTS);
  expect(results.map((r) => r.index)).toEqual(logits.map((r) => r.index));
  results.forEach((r, i) => expect(r.score).toBeCloseTo(sigmoid(logits[i]!.score), 6));
  // A [0, 1] threshold of 0.5 keeps exactly the pairs whose logit is >= 0.
  const kept = await ce.rerank(QUERY, TEXTS, { scoreThreshold: 0.5 });
  expect(kept.map((r) => r.index)).toEqual(logits.filter((r) => r.score >= 0).map((r) => r.index));
});

it("LangChain: modelOptions { activation: 'sigmoid' } puts relevanceScore in [0, 1]", async () => {
  const reranker = new CrossEncoderReranker({ model: dir, modelOptions: { workers: 0, activation: 'sigmoid' }, topN: TEXTS.length, scoreThreshold: 0.5 });
  open.push(reranker);
  const kept = await reranker.compressDocuments(TEXTS.map((t) => new Document({ pageContent: t })), QUERY);
  const expected = logits.filter((r) => r.score >= 0);
  expect(kept.map((d) => d.pageContent)).toEqual(expected.map((r) => TEXTS[r.index]));
  kept.forEach((d, i) => expect(d.metadata['relevanceScore']).toBeCloseTo(sigmoid(expected[i]!.score), 6));
});

it("LlamaIndex: modelOptions { activation: 'sigmoid' } puts node scores in [0, 1]", async () => {
  const rerank = new CrossEncoderRerank({ model: dir, modelOptions: { workers: 0, activation: 'sigmoid' }, topN: TEXTS.length });
  open.push(rerank);
  const nodes = await rerank.postprocessNodes(TEXTS.map((text, i) => ({ node: new TextNode({ id_: `n${i}`, text }), score: 0 })), QUERY);
  expect(nodes.map((n) => n.node.id_)).toEqual(logits.map((r) => `n${r.index}`));
  nodes.forEach((n, i) => expect(n.score).toBeCloseTo(sigmoid(logits[i]!.score), 6));
});
