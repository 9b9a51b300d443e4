import { TeiReranker } from '@crossrank/core';
import { CrossEncoderReranker } from '@crossrank/langchain';
import { Document } from '@langchain/core/documents';
import { overlapScore, startTeiServer, type TeiServer } from '../support/tei-server';

const QUERY = 'how do docker containers talk over a bridge network';
const TEXTS = [
  'Django templates render HTML with a small language.',
  'Containers on one docker bridge network talk to each other by name.',
  'Kubernetes pods share a network namespace.',
  'A bridge network connects docker containers on one host; containers talk over it.',
  'TLS certificates prove a server identity.',
  'Docker volumes keep data after a container is removed.',
];

let server: TeiServer;
beforeAll(async () => {
  server = await startTeiServer(overlapScore);
});
afterAll(async () => {
  await server.close();
});

it('reranks LangChain documents through a self-hosted TEI server, unchanged adapter', async () => {
  const docs = TEXTS.map((pageContent, i) => new Document({ pageContent, id: `d${i}`, metadata: { source: `s${i}` } }));
  const reranker = new CrossEncoderReranker({ reranker: new TeiReranker({ baseUrl: server.url, batchSize: 4 }), topN: 3 });

  const kept = await reranker.compressDocuments(docs, QUERY);

  const expected = TEXTS.map((t, i) => ({ i, s: overlapScore(QUERY, t) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 3);
  expect(kept.map((d) => d.id)).toEqual(expected.map((e) => `d${e.i}`));
  expect(kept.map((d) => d.metadata['relevanceScore'])).toEqual(expected.map((e) => e.s));
  expect(kept[0]!.metadata['source']).toBe(`s${expected[0]!.i}`);
  // Six texts at TEI's batch size 4: two requests, merged into one ranking.
  expect(server.requests.map((r) => r.texts.length)).toEqual([4, 2]);
  expect(server.requests[0]!.query).toBe(QUERY);
  expect(docs.every((d) => d.metadata['relevanceScore'] === undefined)).toBe(true);
});
