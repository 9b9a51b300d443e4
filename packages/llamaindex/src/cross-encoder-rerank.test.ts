import { CrossrankError, DisposedError, InvalidInputError, ModelNotFoundError, rankScores, validateRerankArgs, type Reranker, type RerankOptions } from '@crossrank/core';
import { MetadataMode, TextNode, type NodeWithScore } from 'llamaindex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CrossEncoderRerank } from './cross-encoder-rerank.js';
import { MissingQueryError } from './errors.js';
import { RETRIEVAL_SCORE_KEY } from './reranked-node.js';

/** A real `Reranker` (contract helpers from core) that scores by shared words: easy to predict. */
class OverlapReranker implements Reranker {
  readonly calls: { query: string; documents: string[]; options: RerankOptions | undefined }[] = [];

  async rerank(query: string, documents: readonly string[], options?: RerankOptions) {
    validateRerankArgs(query, documents, options);
    this.calls.push({ query, documents: [...documents], options });
    return rankScores(documents.map((doc) => overlap(query, doc)), options);
  }
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
}

function overlap(query: string, doc: string): number {
  const q = words(query);
  const d = words(doc);
  return q.size === 0 ? 0 : [...q].filter((w) => d.has(w)).length / q.size;
}

const QUERY = 'how do cross encoders rerank retrieved passages';
const TEXTS = [
  'Bananas are yellow.',
  'Cross encoders read the query and a passage together.',
  'A reranker reorders retrieved passages.',
  'How do cross encoders rerank retrieved passages? They score each pair.',
  'Vector search retrieves passages by embedding similarity.',
  'Paris is in France.',
];

function retrieved(): NodeWithScore[] {
  // Retrieval scores in the opposite order of relevance, so a pass-through would fail the tests.
  return TEXTS.map((text, i) => ({ node: new TextNode({ id_: `n${i}`, text, metadata: { source: `doc-${i}.md` } }), score: 0.9 - i * 0.1 }));
}

function expectedOrder(texts: string[], query = QUERY): number[] {
  return rankScores(texts.map((t) => overlap(query, t))).map((r) => r.index);
}

describe('CrossEncoderRerank with a custom Reranker', () => {
  it('returns the topN (default 3) nodes, best first, scored by the reranker', async () => {
    const reranker = new OverlapReranker();
    const nodes = retrieved();
    const out = await new CrossEncoderRerank({ reranker }).postprocessNodes(nodes, QUERY);

    const docs = nodes.map((n) => n.node.getContent(MetadataMode.EMBED));
    const order = expectedOrder(docs).slice(0, 3);
    expect(out.map((n) => n.node.id_)).toEqual(order.map((i) => `n${i}`));
    expect(out.map((n) => n.score)).toEqual(order.map((i) => overlap(QUERY, docs[i]!)));
    expect(reranker.calls).toHaveLength(1);
    expect(reranker.calls[0]!.query).toBe(QUERY);
    expect(reranker.calls[0]!.options).toEqual({ topN: 3, scoreThreshold: undefined });
  });

  it('honours topN and scoreThreshold', async () => {
    const reranker = new OverlapReranker();
    const nodes = retrieved();
    const scores = nodes.map((n) => overlap(QUERY, n.node.getContent(MetadataMode.EMBED)));
    const threshold = 0.5;
    const out = await new CrossEncoderRerank({ reranker, topN: 10, scoreThreshold: threshold }).postprocessNodes(nodes, QUERY);
    const passing = scores.filter((s) => s >= threshold).length;
    expect(passing).toBeGreaterThan(0);
    expect(passing).toBeLessThan(nodes.length);
    expect(out).toHaveLength(passing);
    expect(out.every((n) => n.score! >= threshold)).toBe(true);

    const one = await new CrossEncoderRerank({ reranker, topN: 1 }).postprocessNodes(nodes, QUERY);
    expect(one.map((n) => n.node.id_)).toEqual([`n${expectedOrder(TEXTS)[0]}`]);
  });

  it('still keeps at most topN, and the threshold, when a Reranker ignores its options', async () => {
    const sloppy: Reranker = { rerank: async (q, docs) => rankScores(docs.map((d) => overlap(q, d))) };
    const out = await new CrossEncoderRerank({ reranker: sloppy, topN: 2 }).postprocessNodes(retrieved(), QUERY);
    expect(out).toHaveLength(2);
    const filtered = await new CrossEncoderRerank({ reranker: sloppy, topN: 6, scoreThreshold: 0.5 }).postprocessNodes(retrieved(), QUERY);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((n) => n.score! >= 0.5)).toBe(true);
  });

  it('rejects a Reranker result that does not point at a node', async () => {
    const broken: Reranker = { rerank: async () => [{ index: 99, score: 1 }] };
    await expect(new CrossEncoderRerank({ reranker: broken }).postprocessNodes(retrieved(), QUERY)).rejects.toThrow(CrossrankError);
  });

  it('scores the EMBED text by default, and the text of the mode it is given', async () => {
    // Metadata the embedding saw but the LLM does not: EMBED and LLM texts differ.
    const node = new TextNode({ text: 'body text', metadata: { title: 'Cross encoders', secret: 'embed-only' }, excludedLlmMetadataKeys: ['secret'] });
    const nodes = [{ node, score: 0.5 }];
    for (const mode of [undefined, MetadataMode.LLM, MetadataMode.NONE, MetadataMode.ALL]) {
      const reranker = new OverlapReranker();
      await new CrossEncoderRerank({ reranker, ...(mode ? { metadataMode: mode } : {}) }).postprocessNodes(nodes, QUERY);
      expect(reranker.calls[0]!.documents).toEqual([node.getContent(mode ?? MetadataMode.EMBED)]);
    }
    expect(node.getContent(MetadataMode.EMBED)).toContain('embed-only');
    expect(node.getContent(MetadataMode.LLM)).not.toContain('embed-only');
  });

  it('uses the text parts of a MessageContent query', async () => {
    const reranker = new OverlapReranker();
    await new CrossEncoderRerank({ reranker }).postprocessNodes(retrieved(), [
      { type: 'text', text: 'cross encoders' },
      { type: 'image_url', image_url: { url: 'https://example.invalid/x.png' } },
      { type: 'text', text: 'rerank' },
    ]);
    expect(reranker.calls[0]!.query).toBe('cross encoders\n\nrerank');
  });

  it('does not mutate the caller’s entries or nodes, and returns new entries', async () => {
    const nodes = retrieved();
    const before = JSON.stringify(nodes);
    const entries = [...nodes];
    const innerNodes = nodes.map((n) => n.node);
    for (const keepRetrievalScore of [false, true]) {
      const out = await new CrossEncoderRerank({ reranker: new OverlapReranker(), keepRetrievalScore }).postprocessNodes(nodes, QUERY);
      expect(out).toHaveLength(3);
      for (const entry of out) expect(entries).not.toContain(entry);
    }
    expect(JSON.stringify(nodes)).toBe(before);
    expect(nodes).toEqual(entries);
    nodes.forEach((n, i) => expect(n.node).toBe(innerNodes[i]));
  });

  it('keepRetrievalScore: copies the node and keeps the old score in metadata.retrievalScore', async () => {
    const nodes = retrieved();
    const out = await new CrossEncoderRerank({ reranker: new OverlapReranker(), keepRetrievalScore: true }).postprocessNodes(nodes, QUERY);
    for (const entry of out) {
      const original = nodes.find((n) => n.node.id_ === entry.node.id_)!;
      expect(entry.node).not.toBe(original.node);
      expect(entry.node).toBeInstanceOf(TextNode);
      expect(entry.node.metadata).toEqual({ ...original.node.metadata, [RETRIEVAL_SCORE_KEY]: original.score });
      expect(original.node.metadata).not.toHaveProperty(RETRIEVAL_SCORE_KEY);
      expect(entry.score).not.toBe(original.score);
      // The copy renders like the original: the score stays out of the LLM's and embedding's text.
      for (const mode of [MetadataMode.LLM, MetadataMode.EMBED]) {
        expect(entry.node.getContent(mode)).toBe(original.node.getContent(mode));
      }
    }
  });

  it('keepRetrievalScore off: shares the caller’s node objects and adds nothing to them', async () => {
    const nodes = retrieved();
    const out = await new CrossEncoderRerank({ reranker: new OverlapReranker() }).postprocessNodes(nodes, QUERY);
    for (const entry of out) {
      expect(nodes.map((n) => n.node)).toContain(entry.node);
      expect(entry.node.metadata).not.toHaveProperty(RETRIEVAL_SCORE_KEY);
    }
  });

  it('returns [] for no nodes without calling the reranker, even without a query', async () => {
    const reranker = new OverlapReranker();
    const rerank = new CrossEncoderRerank({ reranker });
    await expect(rerank.postprocessNodes([])).resolves.toEqual([]);
    await expect(rerank.postprocessNodes([], QUERY)).resolves.toEqual([]);
    expect(reranker.calls).toHaveLength(0);
  });

  it('throws MissingQueryError when nodes come without a query', async () => {
    const reranker = new OverlapReranker();
    const rerank = new CrossEncoderRerank({ reranker });
    await expect(rerank.postprocessNodes(retrieved())).rejects.toThrow(MissingQueryError);
    await expect(rerank.postprocessNodes(retrieved(), [{ type: 'image_url', image_url: { url: 'https://example.invalid/x.png' } }])).rejects.toThrow(MissingQueryError);
    expect(reranker.calls).toHaveLength(0);
  });

  it('names a malformed entry', async () => {
    const rerank = new CrossEncoderRerank({ reranker: new OverlapReranker() });
    await expect(rerank.postprocessNodes([...retrieved(), { text: 'x' } as never], QUERY)).rejects.toThrow(/nodes\[6\]/);
    await expect(rerank.postprocessNodes('nodes' as never, QUERY)).rejects.toThrow(InvalidInputError);
  });
});

describe('CrossEncoderRerank with a model', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossrank-llamaindex-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads nothing until the first query, then reports a missing model with a typed error', async () => {
    const missing = join(dir, 'no-such-model');
    const rerank = new CrossEncoderRerank({ model: missing, modelOptions: { localFilesOnly: true } });
    await expect(rerank.postprocessNodes([], QUERY)).resolves.toEqual([]);
    await expect(rerank.postprocessNodes(retrieved(), QUERY)).rejects.toThrow(ModelNotFoundError);
    // A failed load is not cached as a success: the next query tries (and fails) again.
    await expect(rerank.postprocessNodes(retrieved(), QUERY)).rejects.toThrow(ModelNotFoundError);
  });

  it('after dispose, refuses to rerank instead of loading the model again', async () => {
    const rerank = new CrossEncoderRerank({ model: join(dir, 'never-loaded'), modelOptions: { localFilesOnly: true } });
    await rerank.dispose();
    await expect(rerank.postprocessNodes(retrieved(), QUERY)).rejects.toThrow(DisposedError);
  });
});

describe('dispose follows core’s rule (issue 12, item 8)', () => {
  it('a call under way finishes; calls after dispose reject with DisposedError, as with a model', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inner = new OverlapReranker();
    const slow = { rerank: async (...args: Parameters<OverlapReranker['rerank']>) => (await gate, inner.rerank(...args)) };
    const rerank = new CrossEncoderRerank({ reranker: slow });
    const running = rerank.postprocessNodes(retrieved(), QUERY);
    let disposed = false;
    const disposing = rerank.dispose().then(() => (disposed = true));
    await expect(rerank.postprocessNodes(retrieved(), QUERY)).rejects.toThrow(DisposedError);
    await expect(rerank.warmup()).rejects.toThrow(DisposedError);
    expect(disposed).toBe(false);
    release();
    expect(await running).toHaveLength(3);
    await disposing;
    expect(disposed).toBe(true);
  });
});
