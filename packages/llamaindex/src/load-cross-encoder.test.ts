import { isCrossrankError } from '@crossrank/core';
import { TextNode, type NodeWithScore } from 'llamaindex';

// @crossrank/onnx is an optional peer. Here it is replaced by what Node reports when it is not
// installed; the packed-tarball check in .ci/ runs the real case, an app without @crossrank/onnx.
function loadWithOnnx(failure: Error): typeof import('./cross-encoder-rerank.js') {
  let loaded: typeof import('./cross-encoder-rerank.js') | undefined;
  jest.isolateModules(() => {
    jest.doMock('@crossrank/onnx', () => {
      throw failure;
    });
    loaded = jest.requireActual<typeof import('./cross-encoder-rerank.js')>('./cross-encoder-rerank.js');
  });
  return loaded!;
}

const notInstalled = () => Object.assign(new Error("Cannot find package '@crossrank/onnx' imported from /app/index.mjs"), { code: 'ERR_MODULE_NOT_FOUND' });
const nodes = (): NodeWithScore[] => [{ node: new TextNode({ text: 'a' }), score: 0.5 }, { node: new TextNode({ text: 'b' }), score: 0.4 }];

afterEach(() => jest.dontMock('@crossrank/onnx'));

it('says to install @crossrank/onnx or pass a reranker when model is given without it', async () => {
  const { CrossEncoderRerank } = loadWithOnnx(notInstalled());
  const error = await new CrossEncoderRerank({ model: 'Xenova/ms-marco-MiniLM-L-6-v2' }).postprocessNodes(nodes(), 'q').catch((e: unknown) => e);
  // isolateModules loads a second @crossrank/core, so instanceof fails by design: the guard does not.
  expect(isCrossrankError(error, 'CROSSRANK_MISSING_PACKAGE')).toBe(true);
  expect(error).toMatchObject({ name: 'MissingPackageError' });
  expect((error as Error).message).toMatch(/CrossEncoderRerank: model 'Xenova\/ms-marco-MiniLM-L-6-v2'.*npm install @crossrank\/onnx.*pass a reranker/);
});

it('does not need @crossrank/onnx when a reranker is passed', async () => {
  const { CrossEncoderRerank } = loadWithOnnx(notInstalled());
  const reranker = { rerank: async () => [{ index: 1, score: 0.9 }] };
  const out = await new CrossEncoderRerank({ reranker, topN: 1 }).postprocessNodes(nodes(), 'q');
  expect(out.map((n) => (n.node as TextNode).text)).toEqual(['b']);
});
