import { Document } from '@langchain/core/documents';
import { isCrossrankError } from '@crossrank/core';

// @crossrank/onnx is an optional peer. Here it is replaced by what Node reports when it is not
// installed (or when it is installed but its own dependency is missing); the packed-tarball check
// in .ci/ runs the real case, an app without @crossrank/onnx.
function loadWithOnnx(failure: Error): typeof import('./cross-encoder-reranker.js') {
  let loaded: typeof import('./cross-encoder-reranker.js') | undefined;
  jest.isolateModules(() => {
    jest.doMock('@crossrank/onnx', () => {
      throw failure;
    });
    loaded = jest.requireActual<typeof import('./cross-encoder-reranker.js')>('./cross-encoder-reranker.js');
  });
  return loaded!;
}

const notInstalled = () => Object.assign(new Error("Cannot find module '@crossrank/onnx'\nRequire stack:\n- /app/index.js"), { code: 'MODULE_NOT_FOUND' });
const docs = [new Document({ pageContent: 'a' }), new Document({ pageContent: 'b' })];

afterEach(() => jest.dontMock('@crossrank/onnx'));

it('says to install @crossrank/onnx or pass a reranker when model is given without it', async () => {
  const { CrossEncoderReranker } = loadWithOnnx(notInstalled());
  const compressor = new CrossEncoderReranker({ model: 'Xenova/ms-marco-MiniLM-L-6-v2' });
  const error = await compressor.compressDocuments(docs, 'q').catch((e: unknown) => e);
  // isolateModules loads a second @crossrank/core, so instanceof fails by design: the guard does not.
  expect(isCrossrankError(error, 'CROSSRANK_MISSING_PACKAGE')).toBe(true);
  expect(error).toMatchObject({ name: 'MissingPackageError' });
  expect(error).toMatchObject({ packageName: '@crossrank/onnx', code: 'CROSSRANK_MISSING_PACKAGE' });
  expect((error as Error).message).toMatch(/CrossEncoderReranker: model 'Xenova\/ms-marco-MiniLM-L-6-v2'.*npm install @crossrank\/onnx.*pass a reranker/);
});

it('does not need @crossrank/onnx when a reranker is passed', async () => {
  const { CrossEncoderReranker } = loadWithOnnx(notInstalled());
  const reranker = { rerank: async () => [{ index: 1, score: 0.9 }] };
  const kept = await new CrossEncoderReranker({ reranker, topN: 1 }).compressDocuments(docs, 'q');
  expect(kept.map((d) => d.pageContent)).toEqual(['b']);
});

it("passes on an installed @crossrank/onnx's own failure unchanged", async () => {
  const broken = Object.assign(new Error("Cannot find module '@huggingface/transformers'\nRequire stack:\n- /app/node_modules/@crossrank/onnx/dist/index.cjs"), {
    code: 'MODULE_NOT_FOUND',
  });
  const { CrossEncoderReranker } = loadWithOnnx(broken);
  await expect(new CrossEncoderReranker({ model: 'some/model' }).compressDocuments(docs, 'q')).rejects.toBe(broken);
});

it('imports again on the next call after a failure, so installing the package later is picked up', async () => {
  let attempts = 0;
  const encoder = { rerank: async () => [{ index: 0, score: 0.8 }], dispose: async () => undefined };
  let loaded: typeof import('./cross-encoder-reranker.js') | undefined;
  jest.isolateModules(() => {
    jest.doMock('@crossrank/onnx', () => {
      attempts += 1;
      if (attempts === 1) throw notInstalled();
      return { CrossEncoder: { load: async () => encoder } };
    });
    loaded = jest.requireActual<typeof import('./cross-encoder-reranker.js')>('./cross-encoder-reranker.js');
  });
  const compressor = new loaded!.CrossEncoderReranker({ model: 'some/model', topN: 1 });
  await expect(compressor.compressDocuments(docs, 'q')).rejects.toMatchObject({ name: 'MissingPackageError' });
  const kept = await compressor.compressDocuments(docs, 'q');
  expect(kept.map((d) => d.pageContent)).toEqual(['a']);
  expect(attempts).toBe(2);
});
