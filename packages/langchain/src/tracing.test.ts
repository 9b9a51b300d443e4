import { InvalidInputError } from '@crossrank/core';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { Document } from '@langchain/core/documents';
import { RunnableLambda } from '@langchain/core/runnables';
import { CrossEncoderReranker, RERANK_RUN_NAME } from './cross-encoder-reranker.js';
import { OverlapReranker } from './test-support/overlap-reranker.js';
import { RecordingHandler } from './test-support/recording-handler.js';

const QUERY = 'moon tides';
const docs = ['moon tides ocean', 'bread', 'moon', 'tides', 'volcano'].map((text, i) => new Document({ pageContent: text, metadata: { i } }));

describe('tracing the rerank step', () => {
  it('reports a child run with the candidate count, the kept count and the time taken', async () => {
    const handler = new RecordingHandler();
    const parentRunId = '0b1d6a4c-7a51-4d3e-8f3e-1f6f1d9c2a11';
    const callbacks = new CallbackManager(parentRunId);
    callbacks.addHandler(handler);

    const kept = await new CrossEncoderReranker({ reranker: new OverlapReranker(), topN: 2 }).compressDocuments(docs, QUERY, callbacks);

    const [run, ...others] = handler.named(RERANK_RUN_NAME);
    expect(others).toHaveLength(0);
    expect(run!.parentRunId).toBe(parentRunId);
    expect(run!.inputs).toEqual({ query: QUERY, candidates: 5, topN: 2, scoreThreshold: undefined });
    expect(run!.outputs).toEqual({
      candidates: 5,
      kept: 2,
      durationMs: expect.any(Number),
      ranking: kept.map((doc) => ({ index: doc.metadata['i'], relevanceScore: doc.metadata['relevanceScore'] })),
    });
    expect(run!.outputs!['durationMs']).toBeGreaterThanOrEqual(0);
  });

  it('accepts callbacks as a plain handler list', async () => {
    const handler = new RecordingHandler();
    await new CrossEncoderReranker({ reranker: new OverlapReranker() }).compressDocuments(docs, QUERY, [handler]);
    expect(handler.named(RERANK_RUN_NAME)).toHaveLength(1);
  });

  it('reports the error when the reranker fails, and still throws it', async () => {
    const handler = new RecordingHandler();
    const failure = new InvalidInputError('bad');
    const compressor = new CrossEncoderReranker({ reranker: { rerank: () => Promise.reject(failure) } });
    await expect(compressor.compressDocuments(docs, QUERY, [handler])).rejects.toBe(failure);
    const [run] = handler.named(RERANK_RUN_NAME);
    expect(run!.error).toBe(failure);
    expect(run!.outputs).toBeUndefined();
  });

  it('without callbacks, joins the Runnable it runs inside and uses its abort signal', async () => {
    const handler = new RecordingHandler();
    const reranker = new OverlapReranker();
    const compressor = new CrossEncoderReranker({ reranker });
    const controller = new AbortController();
    // The lambda calls compressDocuments without passing callbacks, as ParentDocumentRetriever does.
    const step = RunnableLambda.from((query: string) => compressor.compressDocuments(docs, query)).withConfig({ runName: 'outer' });

    await step.invoke(QUERY, { callbacks: [handler], signal: controller.signal });

    const [outer] = handler.named('outer');
    const [run] = handler.named(RERANK_RUN_NAME);
    expect(run!.parentRunId).toBe(outer!.runId);
    const signal = reranker.calls[0]!.options!.signal!;
    expect(signal.aborted).toBe(false);
    controller.abort();
    expect(signal.aborted).toBe(true);
  });

  it('reports nothing and loads nothing for an empty list', async () => {
    const handler = new RecordingHandler();
    await new CrossEncoderReranker({ reranker: new OverlapReranker() }).compressDocuments([], QUERY, [handler]);
    expect(handler.runs.size).toBe(0);
  });
});
