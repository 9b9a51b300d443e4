import { InvalidInputError, RerankAbortedError } from '@crossrank/core';
import { Document } from '@langchain/core/documents';
import { CrossEncoderReranker } from './cross-encoder-reranker.js';
import { OverlapReranker, overlapScore } from './test-support/overlap-reranker.js';

const QUERY = 'how do tides follow the moon';
const TEXTS = [
  'Bread rises because yeast makes gas.',
  'Tides follow the moon as it pulls the oceans.',
  'The moon has no air.',
  'How do volcanoes erupt?',
  'Tides rise and fall twice a day.',
  'Ocean tides follow the moon and the sun.',
];

function corpus(): Document[] {
  return TEXTS.map((text, i) => new Document({ pageContent: text, id: `doc-${i}`, metadata: { source: `file-${i}.txt`, page: i, tags: ['a', 'b'] } }));
}

/** The ranking computed straight from the scores, independently of the adapter. */
function expectedOrder(query: string, texts: readonly string[], topN: number, threshold = -Infinity): number[] {
  return texts
    .map((text, index) => ({ index, score: overlapScore(query, text) }))
    .filter((r) => r.score >= threshold)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, topN)
    .map((r) => r.index);
}

describe('CrossEncoderReranker.compressDocuments', () => {
  it('returns the best topN documents, best first, each with its score in metadata.relevanceScore', async () => {
    const reranker = new OverlapReranker();
    const docs = corpus();
    const kept = await new CrossEncoderReranker({ reranker, topN: 2 }).compressDocuments(docs, QUERY);

    const order = expectedOrder(QUERY, TEXTS, 2);
    expect(kept.map((d) => d.id)).toEqual(order.map((i) => `doc-${i}`));
    for (const [k, doc] of kept.entries()) {
      expect(doc.metadata['relevanceScore']).toBe(overlapScore(QUERY, TEXTS[order[k]!]!));
    }
    expect(reranker.calls[0]!.options?.topN).toBe(2);
  });

  it('keeps 3 by default', async () => {
    const kept = await new CrossEncoderReranker({ reranker: new OverlapReranker() }).compressDocuments(corpus(), QUERY);
    expect(kept.map((d) => d.id)).toEqual(expectedOrder(QUERY, TEXTS, 3).map((i) => `doc-${i}`));
  });

  it('drops documents under scoreThreshold before applying topN', async () => {
    const threshold = 0.5;
    const kept = await new CrossEncoderReranker({ reranker: new OverlapReranker(), topN: 5, scoreThreshold: threshold }).compressDocuments(corpus(), QUERY);
    const order = expectedOrder(QUERY, TEXTS, 5, threshold);
    expect(order.length).toBeLessThan(5); // the threshold, not topN, is what limits this case
    expect(kept.map((d) => d.id)).toEqual(order.map((i) => `doc-${i}`));
    expect(kept.every((d) => (d.metadata['relevanceScore'] as number) >= threshold)).toBe(true);
  });

  it('writes the score under a custom scoreKey', async () => {
    const [best] = await new CrossEncoderReranker({ reranker: new OverlapReranker(), scoreKey: 'rerank_score', topN: 1 }).compressDocuments(corpus(), QUERY);
    expect(best!.metadata['rerank_score']).toBe(overlapScore(QUERY, best!.pageContent));
    expect(best!.metadata).not.toHaveProperty('relevanceScore');
  });

  it('returns new Documents with pageContent, id and all metadata copied, and leaves the inputs untouched', async () => {
    const docs = corpus();
    const before = structuredClone(docs.map((d) => ({ pageContent: d.pageContent, id: d.id, metadata: d.metadata })));
    const kept = await new CrossEncoderReranker({ reranker: new OverlapReranker() }).compressDocuments(docs, QUERY);

    for (const doc of kept) {
      const original = docs.find((d) => d.id === doc.id)!;
      expect(doc).toBeInstanceOf(Document);
      expect(doc).not.toBe(original);
      expect(doc.pageContent).toBe(original.pageContent);
      const { relevanceScore, ...rest } = doc.metadata;
      expect(rest).toEqual(original.metadata);
      expect(typeof relevanceScore).toBe('number');
    }
    kept[0]!.metadata['source'] = 'changed by the caller';
    expect(docs.map((d) => ({ pageContent: d.pageContent, id: d.id, metadata: d.metadata }))).toEqual(before);
  });

  it('scores the pageContent only (metadata never reaches the reranker)', async () => {
    const reranker = new OverlapReranker();
    const docs = corpus();
    await new CrossEncoderReranker({ reranker }).compressDocuments(docs, QUERY);
    expect(reranker.calls).toHaveLength(1);
    expect(reranker.calls[0]!.query).toBe(QUERY);
    expect(reranker.calls[0]!.documents).toEqual(TEXTS);
  });

  it('returns [] for no documents without calling the reranker', async () => {
    const reranker = new OverlapReranker();
    await expect(new CrossEncoderReranker({ reranker }).compressDocuments([], QUERY)).resolves.toEqual([]);
    expect(reranker.calls).toHaveLength(0);
  });

  it("surfaces the reranker's typed error unchanged", async () => {
    const failure = new RerankAbortedError('The rerank call was aborted.');
    const compressor = new CrossEncoderReranker({ reranker: { rerank: () => Promise.reject(failure) } });
    await expect(compressor.compressDocuments(corpus(), QUERY)).rejects.toBe(failure);
  });

  it('rejects a query or documents it cannot score with InvalidInputError naming the culprit', async () => {
    const compressor = new CrossEncoderReranker({ reranker: new OverlapReranker() });
    await expect(compressor.compressDocuments(corpus(), 42 as unknown as string)).rejects.toThrow(new InvalidInputError('query must be a string, got number 42.'));
    const bad = [...corpus(), { metadata: {} } as unknown as Document];
    await expect(compressor.compressDocuments(bad, QUERY)).rejects.toThrow(InvalidInputError);
    await expect(compressor.compressDocuments(bad, QUERY)).rejects.toThrow(/documents\[6\] must be a Document with a string pageContent/);
  });
});

describe('CrossEncoderReranker.rerank', () => {
  it('returns { index, relevanceScore } like CohereRerank, for Documents or strings', async () => {
    const compressor = new CrossEncoderReranker({ reranker: new OverlapReranker(), topN: 2 });
    const order = expectedOrder(QUERY, TEXTS, 2);
    const expected = order.map((index) => ({ index, relevanceScore: overlapScore(QUERY, TEXTS[index]!) }));
    await expect(compressor.rerank(corpus(), QUERY)).resolves.toEqual(expected);
    await expect(compressor.rerank(TEXTS, QUERY)).resolves.toEqual(expected);
  });

  it('lets a call override topN and scoreThreshold', async () => {
    const compressor = new CrossEncoderReranker({ reranker: new OverlapReranker(), topN: 1 });
    const all = await compressor.rerank(TEXTS, QUERY, { topN: TEXTS.length });
    expect(all.map((r) => r.index)).toEqual(expectedOrder(QUERY, TEXTS, TEXTS.length));
    const above = await compressor.rerank(TEXTS, QUERY, { topN: TEXTS.length, scoreThreshold: 0.5 });
    expect(above.map((r) => r.index)).toEqual(expectedOrder(QUERY, TEXTS, TEXTS.length, 0.5));
    await expect(compressor.rerank(TEXTS, QUERY, { topN: -1 })).rejects.toThrow(/options\.topN must be a non-negative integer/);
    await expect(compressor.rerank(TEXTS, QUERY, { topn: 2 } as never)).rejects.toThrow(/rerank options has an unknown option "topn"\. Did you mean "topN"\?/);
  });

  it('passes the signal through and returns [] for no documents', async () => {
    const reranker = new OverlapReranker();
    const signal = new AbortController().signal;
    const compressor = new CrossEncoderReranker({ reranker });
    await compressor.rerank(TEXTS, QUERY, { signal });
    expect(reranker.calls[0]!.options?.signal).toBe(signal);
    await expect(compressor.rerank([], QUERY)).resolves.toEqual([]);
    expect(reranker.calls).toHaveLength(1);
  });
});

describe('instruction (causal-LM rerankers)', () => {
  it('passes a per-call instruction to the reranker, and no instruction key when none is set', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const reranker = { rerank: async (_query: string, documents: readonly string[], options: Record<string, unknown> = {}) => (seen.push({ ...options }), documents.map((_, index) => ({ index, score: 1 - index / 10 })).slice(0, options['topN'] as number)) };
    const compressor = new CrossEncoderReranker({ reranker, topN: 2 });
    await compressor.rerank(['a', 'b', 'c'], 'q', { instruction: 'Find the passage that answers it' });
    await compressor.rerank(['a', 'b', 'c'], 'q');
    expect(seen[0]).toMatchObject({ instruction: 'Find the passage that answers it', topN: 2 });
    expect(seen[1]).not.toHaveProperty('instruction');
    await expect(compressor.rerank(['a'], 'q', { instruction: 3 as unknown as string })).rejects.toThrow(/options\.instruction must be a string/);
  });
});
