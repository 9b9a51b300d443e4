import { type Reranker, type RerankOptions, type RerankResult } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { CrossEncoderReranker, RERANK_RUN_NAME } from '@crossrank/langchain';
import { createStuffDocumentsChain } from '@langchain/classic/chains/combine_documents';
import { createRetrievalChain } from '@langchain/classic/chains/retrieval';
import { ContextualCompressionRetriever } from '@langchain/classic/retrievers/contextual_compression';
import { MultiQueryRetriever } from '@langchain/classic/retrievers/multi_query';
import { ParentDocumentRetriever } from '@langchain/classic/retrievers/parent_document';
import { RecursiveCharacterTextSplitter } from '@langchain/classic/text_splitter';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import type { DocumentInterface } from '@langchain/core/documents';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { InMemoryStore } from '@langchain/core/stores';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { makeCorpus } from './support/corpus';
import { HashingEmbeddings } from './support/hashing-embeddings';
import { RecordingHandler } from './support/recording-handler';
import { testModelDir } from './support/test-model';

const QUERY = 'why do ocean tides follow the moon';

let modelDir: string;
let model: CrossEncoder;
let store: MemoryVectorStore;
let reranker: CrossEncoderReranker;

beforeAll(async () => {
  modelDir = await testModelDir('retrievers');
  model = await CrossEncoder.load(modelDir);
  store = await MemoryVectorStore.fromDocuments(makeCorpus(50), new HashingEmbeddings());
  // Loaded lazily from the folder, as an app would; `model` above is the independent reference.
  reranker = new CrossEncoderReranker({ model: modelDir, topN: 3 });
});

afterAll(async () => {
  await reranker?.dispose();
  await model?.dispose();
});

/** What "retrieve 20, keep the cross-encoder's best 3" must give, computed without the adapter. */
async function expectedTop3(query: string) {
  const candidates = await store.similaritySearch(query, 20);
  const ranking = await model.rerank(query, candidates.map((doc) => doc.pageContent), { topN: 3 });
  return { candidates, kept: ranking.map(({ index, score }) => ({ doc: candidates[index]!, score })) };
}

function expectRanked(actual: DocumentInterface[], expected: { doc: DocumentInterface; score: number }[]): void {
  expect(actual.map((doc) => doc.metadata['docId'])).toEqual(expected.map(({ doc }) => doc.metadata['docId']));
  actual.forEach((doc, i) => {
    const { relevanceScore, ...metadata } = doc.metadata;
    expect(metadata).toEqual(expected[i]!.doc.metadata);
    expect(doc.pageContent).toBe(expected[i]!.doc.pageContent);
    expect(relevanceScore).toBeCloseTo(expected[i]!.score, 5);
  });
}

/** Delegates to the model and records what each call was handed. */
class SpyReranker implements Reranker {
  readonly calls: { query: string; documents: readonly string[] }[] = [];
  async rerank(query: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> {
    this.calls.push({ query, documents: [...documents] });
    return model.rerank(query, documents, options);
  }
}

describe('CrossEncoderReranker in LangChain retrievers and chains', () => {
  it('reorders what the first stage retrieved (a fixture check: otherwise these tests could not tell)', async () => {
    const { candidates, kept } = await expectedTop3(QUERY);
    expect(candidates).toHaveLength(20);
    expect(kept.map(({ doc }) => doc.metadata['docId'])).not.toEqual(candidates.slice(0, 3).map((doc) => doc.metadata['docId']));
  });

  it('ContextualCompressionRetriever over a k: 20 vector store retriever keeps the best 3, traced as a child run', async () => {
    const retriever = new ContextualCompressionRetriever({ baseCompressor: reranker, baseRetriever: store.asRetriever({ k: 20 }) });
    const handler = new RecordingHandler();

    const docs = await retriever.invoke(QUERY, { callbacks: [handler] });

    expectRanked(docs, (await expectedTop3(QUERY)).kept);
    const [outer] = handler.named('ContextualCompressionRetriever');
    const [run] = handler.named(RERANK_RUN_NAME);
    expect(run!.parentRunId).toBe(outer!.runId);
    expect(run!.inputs).toMatchObject({ query: QUERY, candidates: 20 });
    expect(run!.outputs).toMatchObject({ candidates: 20, kept: 3, durationMs: expect.any(Number) });
  });

  it('createRetrievalChain puts the 3 reranked documents, in order, in context and in the prompt', async () => {
    const llm = new FakeListChatModel({ responses: ['Because of the moon.'] });
    const prompt = ChatPromptTemplate.fromMessages([['system', 'Answer from these passages:\n{context}'], ['human', '{input}']]);
    const combineDocsChain = await createStuffDocumentsChain({ llm, prompt });
    const retriever = new ContextualCompressionRetriever({ baseCompressor: reranker, baseRetriever: store.asRetriever({ k: 20 }) });
    const chain = await createRetrievalChain({ retriever, combineDocsChain });

    const prompts: string[] = [];
    const result = await chain.invoke(
      { input: QUERY },
      { callbacks: [{ handleChatModelStart: (_llm, messages) => void prompts.push(messages.flat().map((m) => String(m.content)).join('\n')) }] },
    );

    await awaitAllCallbacks(); // plain handler objects run in the background
    const { kept } = await expectedTop3(QUERY);
    expectRanked(result.context, kept);
    expect(result.answer).toBe('Because of the moon.');
    const positions = kept.map(({ doc }) => prompts[0]!.indexOf(doc.pageContent));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('works in a plain LCEL sequence through a RunnableLambda around compressDocuments', async () => {
    const chain = RunnableSequence.from([
      { query: new RunnablePassthrough<string>(), docs: store.asRetriever({ k: 20 }) },
      RunnableLambda.from(({ query, docs }: { query: string; docs: DocumentInterface[] }) => reranker.compressDocuments(docs, query)),
    ]);
    expectRanked(await chain.invoke(QUERY), (await expectedTop3(QUERY)).kept);
  });

  it("is MultiQueryRetriever's documentCompressor: reranks the union of all queries' results against the question", async () => {
    const spy = new SpyReranker();
    const retriever = MultiQueryRetriever.fromLLM({
      llm: new FakeListChatModel({ responses: ['how does the moon move the sea\nspring tides and the sun\nwhen is high water'] }),
      retriever: store.asRetriever({ k: 5 }),
      documentCompressor: new CrossEncoderReranker({ reranker: spy, topN: 3 }),
    });

    const docs = await retriever.invoke(QUERY);

    expect(spy.calls).toHaveLength(1);
    const { query, documents } = spy.calls[0]!;
    expect(query).toBe(QUERY);
    expect(documents.length).toBeGreaterThan(5); // the union of several queries' results
    const ranking = await model.rerank(QUERY, documents, { topN: 3 });
    expect(docs.map((doc) => doc.pageContent)).toEqual(ranking.map(({ index }) => documents[index]));
    docs.forEach((doc, i) => expect(doc.metadata['relevanceScore']).toBeCloseTo(ranking[i]!.score, 5));
  });

  it("is ParentDocumentRetriever's documentCompressor: reranks the child chunks, then returns their parents", async () => {
    const spy = new SpyReranker();
    const vectorstore = new MemoryVectorStore(new HashingEmbeddings());
    const retriever = new ParentDocumentRetriever({
      vectorstore,
      docstore: new InMemoryStore(),
      childSplitter: new RecursiveCharacterTextSplitter({ chunkSize: 40, chunkOverlap: 0 }),
      childK: 12,
      documentCompressor: new CrossEncoderReranker({ reranker: spy, topN: 2 }),
    });
    const parents = makeCorpus(10);
    await retriever.addDocuments(parents, { ids: parents.map((doc) => doc.metadata['docId'] as string) });

    const docs = await retriever.invoke(QUERY);

    const children = await vectorstore.similaritySearch(QUERY, 12);
    expect(spy.calls).toHaveLength(1);
    expect(spy.calls[0]!.documents).toEqual(children.map((child) => child.pageContent));
    const best = await model.rerank(QUERY, spy.calls[0]!.documents, { topN: 2 });
    const expectedParents = [...new Set(best.map(({ index }) => children[index]!.metadata['doc_id']))];
    expect(docs.map((doc) => doc.metadata['docId'])).toEqual(expectedParents);
  });
});
