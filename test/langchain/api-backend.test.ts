import { TeiReranker } from '@crossrank/api';
import { CrossEncoderReranker } from '@crossrank/langchain';
import { Document } from '@langchain/core/documents';
import { API_QUERY as QUERY, API_TEXTS as TEXTS, expectedRanking, useTeiServer } from '../support/tei-server';

const tei = useTeiServer();

it('reranks LangChain documents through a self-hosted TEI server, unchanged adapter', async () => {
  const docs = TEXTS.map((pageContent, i) => new Document({ pageContent, id: `d${i}`, metadata: { source: `s${i}` } }));
  const reranker = new CrossEncoderReranker({ reranker: new TeiReranker({ baseUrl: tei().url, batchSize: 4 }), topN: 3 });

  const kept = await reranker.compressDocuments(docs, QUERY);

  const expected = expectedRanking(QUERY, TEXTS, 3);
  expect(kept.map((d) => d.id)).toEqual(expected.map((e) => `d${e.i}`));
  expect(kept.map((d) => d.metadata['relevanceScore'])).toEqual(expected.map((e) => e.s));
  expect(kept[0]!.metadata['source']).toBe(`s${expected[0]!.i}`);
  // Six texts at TEI's batch size 4: two requests, merged into one ranking.
  expect(tei().requests.map((r) => r.texts.length)).toEqual([4, 2]);
  expect(tei().requests[0]!.query).toBe(QUERY);
  expect(docs.every((d) => d.metadata['relevanceScore'] === undefined)).toBe(true);
});
