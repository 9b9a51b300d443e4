import { TeiReranker } from '@crossrank/core';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { MetadataMode, TextNode, type NodeWithScore } from 'llamaindex';
import { overlapScore, startTeiServer, type TeiServer } from '../support/tei-server';

const QUERY = 'how do docker containers talk over a bridge network';
const TEXTS = [
  'Django templates render HTML with a small language.',
  'Containers on one docker bridge network talk to each other by name.',
  'Kubernetes pods share a network namespace.',
  'A bridge network connects docker containers on one host; containers talk over it.',
  'TLS certificates prove a server identity.',
];

let server: TeiServer;
beforeAll(async () => {
  server = await startTeiServer(overlapScore);
});
afterAll(async () => {
  await server.close();
});

it('reranks LlamaIndex nodes through a self-hosted TEI server, unchanged postprocessor', async () => {
  const nodes: NodeWithScore[] = TEXTS.map((text, i) => ({ node: new TextNode({ id_: `n${i}`, text }), score: 1 - i / 10 }));
  const rerank = new CrossEncoderRerank({
    reranker: new TeiReranker({ baseUrl: server.url, apiKey: 'tei-secret' }),
    topN: 2,
    metadataMode: MetadataMode.NONE,
  });

  const kept = await rerank.postprocessNodes(nodes, QUERY);

  const expected = TEXTS.map((t, i) => ({ i, s: overlapScore(QUERY, t) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .slice(0, 2);
  expect(kept.map((n) => n.node.id_)).toEqual(expected.map((e) => `n${e.i}`));
  expect(kept.map((n) => n.score)).toEqual(expected.map((e) => e.s));
  expect(server.requests).toHaveLength(1);
  expect(server.requests[0]!.texts).toEqual(TEXTS);
  expect(server.authorization[0]).toBe('Bearer tei-secret');
  expect(nodes[0]!.score).toBe(1);
});
