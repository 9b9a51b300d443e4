// @langchain/community's Chroma store requires `uuid`, which is ESM-only since v12 and cannot be
// loaded by jest's CommonJS runtime. The store only calls it when no ids or collection name are
// given; this test passes both, so a stand-in that works is enough to load the module.
jest.mock('uuid', () => ({ v1: () => require('node:crypto').randomUUID(), v4: () => require('node:crypto').randomUUID() }));

import { CrossEncoder } from '@crossrank/onnx';
import { CrossEncoderReranker } from '@crossrank/langchain';
import { ContextualCompressionRetriever } from '@langchain/classic/retrievers/contextual_compression';
import { Chroma } from '@langchain/community/vectorstores/chroma';
import { ChromaClient } from 'chromadb';
import { startChromaServer, type ChromaServer } from './support/chroma-server';
import { makeCorpus } from './support/corpus';
import { HashingEmbeddings } from './support/hashing-embeddings';
import { testModelDir } from './support/test-model';

const QUERY = 'why do ocean tides follow the moon';

let server: ChromaServer | undefined;
let model: CrossEncoder | undefined;
let reranker: CrossEncoderReranker | undefined;

beforeAll(async () => {
  server = await startChromaServer();
  const dir = await testModelDir('chroma');
  model = await CrossEncoder.load(dir);
  reranker = new CrossEncoderReranker({ model: dir, topN: 3 });
});

// Runs after a failing test too; stops the server by its PID.
afterAll(async () => {
  await reranker?.dispose();
  await model?.dispose();
  if (!server) return;
  await server.stop();
  expect(isRunning(server.pid)).toBe(false);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it('retrieves 20 of 50 documents from a real Chroma server and reranks them to 3, metadata intact', async () => {
  const { hostname, port } = new URL(server!.url);
  const store = new Chroma(new HashingEmbeddings(), {
    index: new ChromaClient({ host: hostname, port: Number(port), ssl: false }),
    collectionName: 'crossrank-langchain',
  });
  const corpus = makeCorpus(50);
  await store.addDocuments(corpus, { ids: corpus.map((doc) => doc.metadata['docId'] as string) });
  const baseRetriever = store.asRetriever({ k: 20 });

  const candidates = await baseRetriever.invoke(QUERY);
  const docs = await new ContextualCompressionRetriever({ baseCompressor: reranker!, baseRetriever }).invoke(QUERY);

  expect(candidates).toHaveLength(20);
  const ranking = await model!.rerank(QUERY, candidates.map((doc) => doc.pageContent), { topN: 3 });
  const expected = ranking.map(({ index }) => candidates[index]!);
  expect(docs.map((doc) => doc.id)).toEqual(expected.map((doc) => doc.id));
  docs.forEach((doc, i) => {
    const { relevanceScore, ...metadata } = doc.metadata;
    const original = corpus.find((d) => d.metadata['docId'] === doc.id)!;
    expect(metadata).toEqual(original.metadata); // what was loaded into Chroma, round-tripped
    expect(doc.pageContent).toBe(original.pageContent);
    expect(relevanceScore).toBeCloseTo(ranking[i]!.score, 5);
  });
});
