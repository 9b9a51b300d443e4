import { DisposedError, ModelNotFoundError, rankScores, type RerankOptions, type RerankResult } from '@crossrank/core';
import { CrossEncoder } from '@crossrank/onnx';
import { Document } from '@langchain/core/documents';
import { CrossEncoderReranker } from './cross-encoder-reranker.js';

/** Stands in for a loaded model: `CrossEncoder.load` is replaced, so no model files are needed here. */
function fakeModel(): CrossEncoder & { dispose: jest.Mock } {
  return {
    rerank: async (_q: string, documents: readonly string[], options?: RerankOptions): Promise<RerankResult[]> =>
      rankScores(documents.map((_, i) => 1 / (i + 1)), options),
    dispose: jest.fn(async () => undefined),
  } as unknown as CrossEncoder & { dispose: jest.Mock };
}

const docs = ['first', 'second', 'third', 'fourth'].map((text) => new Document({ pageContent: text, metadata: {} }));

/** Resolves `CrossEncoder.load` only when the test says so, to hold calls in the race window. */
function gatedLoad() {
  let open!: (model: CrossEncoder) => void;
  const gate = new Promise<CrossEncoder>((resolve) => (open = resolve));
  const load = jest.spyOn(CrossEncoder, 'load').mockImplementation(() => gate);
  return { load, open };
}

afterEach(() => jest.restoreAllMocks());

describe('loading the model lazily', () => {
  it('does not load at construction, nor for an empty list', async () => {
    const load = jest.spyOn(CrossEncoder, 'load');
    const compressor = new CrossEncoderReranker({ model: 'some/model' });
    await compressor.compressDocuments([], 'q');
    await compressor.rerank([], 'q');
    expect(load).not.toHaveBeenCalled();
  });

  it('loads once, with modelOptions, when the first calls race', async () => {
    const { load, open } = gatedLoad();
    const modelOptions = { dtype: 'q8' as const, maxLength: 128, localFilesOnly: true };
    const compressor = new CrossEncoderReranker({ model: 'some/model', modelOptions, topN: 2 });
    const first = compressor.compressDocuments(docs, 'q');
    const second = compressor.compressDocuments(docs, 'q');
    const third = compressor.rerank(docs, 'q');
    await new Promise((resolve) => setImmediate(resolve));
    open(fakeModel());
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith('some/model', modelOptions);
    expect(a!.map((d) => d.pageContent)).toEqual(['first', 'second']);
    expect(b).toEqual(a);
    expect(c).toEqual([{ index: 0, relevanceScore: 1 }, { index: 1, relevanceScore: 0.5 }]);
    await compressor.compressDocuments(docs, 'q');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("surfaces a failed load's typed error to every waiting call, then retries on the next call", async () => {
    const missing = new ModelNotFoundError('Model some/model was not found.', ['some/model']);
    const load = jest.spyOn(CrossEncoder, 'load').mockRejectedValueOnce(missing).mockResolvedValueOnce(fakeModel());
    const compressor = new CrossEncoderReranker({ model: 'some/model' });
    const results = await Promise.allSettled([compressor.compressDocuments(docs, 'q'), compressor.compressDocuments(docs, 'q')]);
    expect(results).toEqual([{ status: 'rejected', reason: missing }, { status: 'rejected', reason: missing }]);
    expect(load).toHaveBeenCalledTimes(1);
    await expect(compressor.compressDocuments(docs, 'q')).resolves.toHaveLength(3);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('disposes the model it loaded, and refuses later calls like core does (issue 12, item 8)', async () => {
    const first = fakeModel();
    const load = jest.spyOn(CrossEncoder, 'load').mockResolvedValueOnce(first).mockResolvedValueOnce(fakeModel());
    const compressor = new CrossEncoderReranker({ model: 'some/model' });
    await compressor.compressDocuments(docs, 'q');
    await compressor.dispose();
    expect(first.dispose).toHaveBeenCalledTimes(1);
    await expect(compressor.compressDocuments(docs, 'q')).rejects.toThrow(DisposedError);
    await expect(compressor.rerank(['a'], 'q')).rejects.toThrow(DisposedError);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('lets calls under way (even one waiting for the load) finish before releasing the model', async () => {
    const model = fakeModel();
    const { open } = gatedLoad();
    const compressor = new CrossEncoderReranker({ model: 'some/model' });
    const running = compressor.compressDocuments(docs, 'q');
    const disposing = compressor.dispose();
    await expect(compressor.rerank(['a'], 'q')).rejects.toThrow(DisposedError);
    open(model);
    expect(await running).toHaveLength(3);
    await disposing;
    expect(model.dispose).toHaveBeenCalledTimes(1);
  });

  it('leaves a reranker it was given alone on dispose', async () => {
    const given = fakeModel();
    await new CrossEncoderReranker({ reranker: given }).dispose();
    expect(given.dispose).not.toHaveBeenCalled();
  });
});
