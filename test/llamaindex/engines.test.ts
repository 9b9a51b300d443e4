import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { CrossEncoderRerank, RETRIEVAL_SCORE_KEY } from '@crossrank/llamaindex';
import { ContextChatEngine, Document, getResponseSynthesizer, MetadataMode, Settings, VectorStoreIndex, type NodeWithScore } from 'llamaindex';
import { CORPUS, QUERY } from './support/corpus';
import { HashEmbedding } from './support/hash-embedding';
import { RecordingLLM } from './support/recording-llm';

// CrossEncoderRerank inside LlamaIndex's own engines: a VectorStoreIndex over a deterministic
// offline embedding, an offline LLM passed explicitly, and a generated cross-encoder.
const TOP_K = 20;
let model: string;
let encoder: CrossEncoder;
let index: VectorStoreIndex;
let rerank: CrossEncoderRerank;
/** The retriever's 20 candidates and, from the CrossEncoder itself, the 3 it should keep. */
let candidates: NodeWithScore[];
let best: { id: string; score: number; text: string }[];
let dropped: NodeWithScore;

beforeAll(async () => {
  ({ dir: model } = await createTestCrossEncoder({ dir: defaultTestModelDir('llamaindex') }));
  encoder = await CrossEncoder.load(model, { localFilesOnly: true });
  // Scoped, not global: the index's vector store keeps the embedding it was built with.
  index = await Settings.withEmbedModel(new HashEmbedding(), () =>
    VectorStoreIndex.fromDocuments(CORPUS.map((text, i) => new Document({ text, metadata: { source: `doc-${i}.md` } }))),
  );
  rerank = new CrossEncoderRerank({ model, modelOptions: { localFilesOnly: true }, topN: 3 });

  candidates = await index.asRetriever({ similarityTopK: TOP_K }).retrieve(QUERY);
  const results = await encoder.rerank(QUERY, candidates.map((n) => n.node.getContent(MetadataMode.EMBED)), { topN: 3 });
  best = results.map((r) => {
    const node = candidates[r.index]!.node;
    return { id: node.id_, score: r.score, text: node.getContent(MetadataMode.NONE) };
  });
  // The best retrieval hit that the reranker drops: proves the engines used the reranked list.
  dropped = candidates.find((c) => !best.some((b) => b.id === c.node.id_))!;
});

afterAll(async () => {
  await rerank?.dispose();
  await encoder?.dispose();
});

const summary = (nodes: NodeWithScore[] | undefined) => (nodes ?? []).map((n) => ({ id: n.node.id_, score: n.score }));
const bestSummary = () => best.map(({ id, score }) => ({ id, score }));

/** The prompt holds the 3 reranked texts, in rerank order, and not a dropped candidate. */
function expectContextOf(prompt: string) {
  const positions = best.map((b) => prompt.indexOf(b.text));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  expect(prompt).not.toContain(dropped.node.getContent(MetadataMode.NONE));
}

describe('CrossEncoderRerank in LlamaIndex engines', () => {
  it('the setup retrieves 20 candidates and the reranker reorders them', () => {
    expect(candidates).toHaveLength(TOP_K);
    expect(best.map((b) => b.id)).not.toEqual(candidates.slice(0, 3).map((c) => c.node.id_));
  });

  it('by hand after index.asRetriever(...)', async () => {
    const nodes = await index.asRetriever({ similarityTopK: TOP_K }).retrieve(QUERY);
    expect(summary(await rerank.postprocessNodes(nodes, QUERY))).toEqual(bestSummary());
  });

  it('asQueryEngine({ similarityTopK: 20, nodePostprocessors }): query() answers from the 3 reranked nodes', async () => {
    const llm = new RecordingLLM();
    const engine = index.asQueryEngine({
      similarityTopK: TOP_K,
      nodePostprocessors: [rerank],
      responseSynthesizer: getResponseSynthesizer('compact', { llm }),
    });
    const response = await engine.query({ query: QUERY });
    expect(summary(response.sourceNodes)).toEqual(bestSummary());
    expect(response.message.content).toBe(RecordingLLM.ANSWER);
    expect(llm.prompts).toHaveLength(1);
    expectContextOf(llm.lastPromptText());
  });

  it('asQueryEngine(...).retrieve() returns the 3 reranked nodes', async () => {
    const engine = index.asQueryEngine({ similarityTopK: TOP_K, nodePostprocessors: [rerank], responseSynthesizer: getResponseSynthesizer('compact', { llm: new RecordingLLM() }) });
    expect(summary(await engine.retrieve(QUERY))).toEqual(bestSummary());
    expect(summary(await engine.retrieve({ query: [{ type: 'text', text: QUERY }] }))).toEqual(bestSummary());
  });

  it('asChatEngine({ nodePostprocessors }): a chat turn uses the 3 reranked nodes as context', async () => {
    const llm = new RecordingLLM();
    const chat = index.asChatEngine({ similarityTopK: TOP_K, nodePostprocessors: [rerank], chatModel: llm });
    const response = await chat.chat({ message: QUERY });
    expect(summary(response.sourceNodes)).toEqual(bestSummary());
    expect(response.message.content).toBe(RecordingLLM.ANSWER);
    expectContextOf(llm.lastPromptText());
  });

  it('ContextChatEngine with nodePostprocessors, streaming', async () => {
    const llm = new RecordingLLM();
    const chat = new ContextChatEngine({ retriever: index.asRetriever({ similarityTopK: TOP_K }), chatModel: llm, nodePostprocessors: [rerank] });
    const chunks = [];
    for await (const chunk of await chat.chat({ message: QUERY, stream: true })) chunks.push(chunk);
    expect(chunks.map((c) => c.delta).join('')).toBe(RecordingLLM.ANSWER);
    expect(summary(chunks[0]!.sourceNodes)).toEqual(bestSummary());
    expectContextOf(llm.lastPromptText());
  });

  it('keepRetrievalScore: source nodes carry the retrieval score, the prompt does not', async () => {
    const keep = new CrossEncoderRerank({ reranker: encoder, keepRetrievalScore: true });
    const llm = new RecordingLLM();
    const engine = index.asQueryEngine({ similarityTopK: TOP_K, nodePostprocessors: [keep], responseSynthesizer: getResponseSynthesizer('compact', { llm }) });
    const response = await engine.query({ query: QUERY });
    expect(summary(response.sourceNodes)).toEqual(bestSummary());
    for (const source of response.sourceNodes!) {
      const candidate = candidates.find((c) => c.node.id_ === source.node.id_)!;
      expect(source.node.metadata[RETRIEVAL_SCORE_KEY]).toBeCloseTo(candidate.score!, 10);
    }
    expect(llm.lastPromptText()).not.toContain(RETRIEVAL_SCORE_KEY);
    expectContextOf(llm.lastPromptText());
    // The index's own nodes were copied, not changed: a fresh retrieval has no such key.
    const again = await index.asRetriever({ similarityTopK: TOP_K }).retrieve(QUERY);
    expect(again.some((n) => RETRIEVAL_SCORE_KEY in n.node.metadata)).toBe(false);
  });
});
