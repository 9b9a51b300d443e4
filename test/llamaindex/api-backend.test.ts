import { TeiReranker } from '@crossrank/api';
import { CrossEncoderRerank } from '@crossrank/llamaindex';
import { MetadataMode, TextNode, type NodeWithScore } from 'llamaindex';
import { API_QUERY as QUERY, API_TEXTS, expectedRanking, useTeiServer } from '../support/tei-server';

const TEXTS = API_TEXTS.slice(0, 5);
const tei = useTeiServer();

it('reranks LlamaIndex nodes through a self-hosted TEI server, unchanged postprocessor', async () => {
  const nodes: NodeWithScore[] = TEXTS.map((text, i) => ({ node: new TextNode({ id_: `n${i}`, text }), score: 1 - i / 10 }));
  const rerank = new CrossEncoderRerank({
    reranker: new TeiReranker({ baseUrl: tei().url, apiKey: 'tei-secret' }),
    topN: 2,
    metadataMode: MetadataMode.NONE,
  });

  const kept = await rerank.postprocessNodes(nodes, QUERY);

  const expected = expectedRanking(QUERY, TEXTS, 2);
  expect(kept.map((n) => n.node.id_)).toEqual(expected.map((e) => `n${e.i}`));
  expect(kept.map((n) => n.score)).toEqual(expected.map((e) => e.s));
  expect(tei().requests).toHaveLength(1);
  expect(tei().requests[0]!.texts).toEqual(TEXTS);
  expect(tei().authorization[0]).toBe('Bearer tei-secret');
  expect(nodes[0]!.score).toBe(1);
});
