import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { MetadataMode, TextNode, type NodeWithScore } from 'llamaindex';
import { CrossEncoderRerank } from './cross-encoder-rerank.js';
import { RERANK_SPAN_KEY, RETRIEVAL_SCORE_KEY } from './reranked-node.js';

// A cross-encoder that splits long texts: each returned node carries the winning window.
const QUERY = 'how do tides follow the moon';
const long = (seed: number): string =>
  Array.from({ length: 300 }, (_, i) => ['tides', 'moon', 'bread', 'ocean', 'orbit', 'coffee', 'water'][(i * seed + i * i) % 7]).join(' ');

let split: CrossEncoder;
let plain: CrossEncoder;

beforeAll(async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('llamaindex-unit-tiny') });
  [split, plain] = await Promise.all([CrossEncoder.load(dir, { longDocuments: 'split', window: 40, stride: 20 }), CrossEncoder.load(dir)]);
});
afterAll(async () => {
  await Promise.all([split?.dispose(), plain?.dispose()]);
});

it("puts the best window's span in the node's metadata, kept out of the embed and LLM text", async () => {
  const nodes: NodeWithScore[] = [1, 2, 3].map((seed) => ({ node: new TextNode({ text: long(seed) }), score: seed / 10 }));
  const out = await new CrossEncoderRerank({ reranker: split, topN: 3, metadataMode: MetadataMode.NONE, keepRetrievalScore: true }).postprocessNodes(nodes, QUERY);
  expect(out).toHaveLength(3);
  for (const { node, score } of out) {
    const span = node.metadata[RERANK_SPAN_KEY] as { start: number; end: number };
    const text = (node as TextNode).text;
    const [alone] = await plain.rerank(QUERY, [text.slice(span.start, span.end)]);
    expect(alone!.score).toBeCloseTo(score!, 4);
    expect(node.metadata[RETRIEVAL_SCORE_KEY]).toBeDefined();
    expect(node.excludedLlmMetadataKeys).toEqual(expect.arrayContaining([RERANK_SPAN_KEY, RETRIEVAL_SCORE_KEY]));
    expect(node.getContent(MetadataMode.LLM)).not.toContain(RERANK_SPAN_KEY);
  }
  // The caller's nodes are untouched.
  expect(nodes.every(({ node }) => !(RERANK_SPAN_KEY in node.metadata))).toBe(true);
});
