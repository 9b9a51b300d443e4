import { CrossEncoder } from '@crossrank/onnx';
import { createTestCrossEncoder, defaultTestModelDir } from '@crossrank/testing';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { MetadataMode, TextNode, type NodeWithScore } from 'llamaindex';
import { CORPUS, QUERY } from './support/corpus';

// The adapter against the core CrossEncoder's own scores, on a generated model (random weights,
// real tokenizer): whatever order the model gives, the postprocessor must reproduce it exactly.
let model: string;
let encoder: CrossEncoder;
const rerankers: CrossEncoderRerank[] = [];

beforeAll(async () => {
  ({ dir: model } = await createTestCrossEncoder({ dir: defaultTestModelDir('llamaindex') }));
  encoder = await CrossEncoder.load(model, { localFilesOnly: true });
});

afterAll(async () => {
  await Promise.all(rerankers.map((r) => r.dispose()));
  await encoder?.dispose();
});

function rerankWith(options: Omit<ConstructorParameters<typeof CrossEncoderRerank>[0], 'model' | 'reranker'>): CrossEncoderRerank {
  const rerank = new CrossEncoderRerank({ model, modelOptions: { localFilesOnly: true }, ...options });
  rerankers.push(rerank);
  return rerank;
}

function retrieved(): NodeWithScore[] {
  // Metadata that only the embedding text carries, so EMBED and NONE texts score differently.
  return CORPUS.map((text, i) => ({
    node: new TextNode({ id_: `n${i}`, text, metadata: { topic: i % 2 ? 'ranking' : 'misc' } }),
    score: 1 - i / CORPUS.length,
  }));
}

async function expected(nodes: NodeWithScore[], mode: MetadataMode, options: { topN?: number; scoreThreshold?: number }) {
  const results = await encoder.rerank(QUERY, nodes.map((n) => n.node.getContent(mode)), options);
  return results.map((r) => ({ id: nodes[r.index]!.node.id_, score: r.score }));
}

const summary = (out: NodeWithScore[]) => out.map((n) => ({ id: n.node.id_, score: n.score }));

describe('CrossEncoderRerank with a CrossEncoder (generated model)', () => {
  it('keeps the 3 best nodes in the CrossEncoder’s order, with its scores', async () => {
    const nodes = retrieved();
    const out = await rerankWith({}).postprocessNodes(nodes, QUERY);
    const want = await expected(nodes, MetadataMode.EMBED, { topN: 3 });
    expect(summary(out)).toEqual(want);
    // The rerank order is not the retrieval order: a pass-through would fail above.
    expect(want.map((w) => w.id)).not.toEqual(['n0', 'n1', 'n2']);
  });

  it('honours topN and scoreThreshold like the CrossEncoder', async () => {
    const nodes = retrieved();
    const all = await expected(nodes, MetadataMode.EMBED, {});
    // A threshold between two real scores, so it cuts the list somewhere in the middle.
    const scoreThreshold = (all[4]!.score + all[5]!.score) / 2;
    const out = await rerankWith({ topN: 10, scoreThreshold }).postprocessNodes(nodes, QUERY);
    expect(summary(out)).toEqual(await expected(nodes, MetadataMode.EMBED, { topN: 10, scoreThreshold }));
    expect(out).toHaveLength(5);

    const seven = await rerankWith({ topN: 7 }).postprocessNodes(nodes, QUERY);
    expect(summary(seven)).toEqual(all.slice(0, 7));
  });

  it('scores the text of the metadata mode it is given', async () => {
    const nodes = retrieved();
    const embed = await rerankWith({ topN: CORPUS.length }).postprocessNodes(nodes, QUERY);
    const none = await rerankWith({ topN: CORPUS.length, metadataMode: MetadataMode.NONE }).postprocessNodes(nodes, QUERY);
    expect(summary(embed)).toEqual(await expected(nodes, MetadataMode.EMBED, {}));
    expect(summary(none)).toEqual(await expected(nodes, MetadataMode.NONE, {}));
    // Different texts, different scores: the mode really changed what was scored.
    expect(summary(embed)).not.toEqual(summary(none));
  });

  it('loads the model once for many queries, including concurrent first ones', async () => {
    const load = jest.spyOn(CrossEncoder, 'load');
    try {
      const rerank = rerankWith({});
      const nodes = retrieved();
      const [a, b] = await Promise.all([rerank.postprocessNodes(nodes, QUERY), rerank.postprocessNodes(nodes, QUERY)]);
      const c = await rerank.postprocessNodes(nodes, QUERY);
      expect(summary(b)).toEqual(summary(a));
      expect(summary(c)).toEqual(summary(a));
      expect(load).toHaveBeenCalledTimes(1);
      expect(load).toHaveBeenCalledWith(model, { localFilesOnly: true });
    } finally {
      load.mockRestore();
    }
  });
});

it('reranks with a causal-LM reranker (a generated Qwen3-style model) and its load-time instruction, as CrossEncoder does', async () => {
  const { dir } = await createTestCrossEncoder({ dir: defaultTestModelDir('llamaindex-qwen3'), architecture: 'qwen3' });
  const instruction = 'Given a question about ranking, find the passage that answers it';
  const causal = await CrossEncoder.load(dir, { localFilesOnly: true, instruction });
  const rerank = new CrossEncoderRerank({ model: dir, modelOptions: { localFilesOnly: true, instruction }, topN: 3 });
  rerankers.push(rerank);
  try {
    const nodes = retrieved();
    const want = await causal.rerank(QUERY, nodes.map((n) => n.node.getContent(MetadataMode.EMBED)), { topN: 3 });
    const out = await rerank.postprocessNodes(retrieved(), QUERY);
    expect(out.map((n) => ({ id: n.node.id_, score: n.score }))).toEqual(want.map((r) => ({ id: nodes[r.index]!.node.id_, score: r.score })));
  } finally {
    await causal.dispose();
  }
}, 600_000);
