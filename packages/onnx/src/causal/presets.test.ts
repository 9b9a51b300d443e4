import { ChatTemplate, pairMessages } from './chat-template.js';
import { CAUSAL_PRESETS, presetFor } from './presets.js';

// Each preset renders its model's published input format (see the source cited in presets.ts),
// written out here piece by piece as that code concatenates it.
const render = async (name: keyof typeof CAUSAL_PRESETS, instruction?: string) =>
  (await ChatTemplate.create(CAUSAL_PRESETS[name].template, { bos_token: '<bos>' }, name)).render(pairMessages('Who wrote Dune?', 'Frank Herbert wrote Dune.', instruction));

describe('causal-LM reranker presets', () => {
  it('qwen3-reranker: the model card prefix, <Instruct>/<Query>/<Document> and the empty think block', async () => {
    const prefix = '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';
    const suffix = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';
    const body = (instruction: string) => `<Instruct>: ${instruction}\n<Query>: Who wrote Dune?\n<Document>: Frank Herbert wrote Dune.`;
    expect(await render('qwen3-reranker')).toBe(prefix + body('Given a web search query, retrieve relevant passages that answer the query') + suffix);
    expect(await render('qwen3-reranker', 'Find the author')).toBe(prefix + body('Find the author') + suffix);
  });

  it('mxbai-rerank-v2: chat prefix, optional instruction line, query, document, task prompt, chat suffix', async () => {
    const prefix = '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n';
    const task =
      'You are a search relevance expert who evaluates how well documents match search queries. For each query-document pair, carefully analyze the semantic relationship between them, then provide your binary relevance judgment (0 for not relevant, 1 for relevant).\nRelevance:';
    const suffix = '<|im_end|>\n<|im_start|>assistant\n';
    const pair = 'query: Who wrote Dune?\ndocument: Frank Herbert wrote Dune.';
    expect(await render('mxbai-rerank-v2')).toBe(`${prefix}${pair}\n${task}${suffix}`);
    expect(await render('mxbai-rerank-v2', 'Find the author')).toBe(`${prefix}instruction: Find the author\n${pair}\n${task}${suffix}`);
    expect(CAUSAL_PRESETS['mxbai-rerank-v2']).toMatchObject({ trueToken: '1', falseToken: '0' });
  });

  it("bge-reranker-v2-gemma: <bos>, A: query, B: passage, the prompt; scored by 'Yes' alone", async () => {
    const prompt = "Given a query A and a passage B, determine whether the passage contains an answer to the query by providing a prediction of either 'Yes' or 'No'.";
    expect(await render('bge-reranker-v2-gemma')).toBe(`<bos>A: Who wrote Dune?\nB: Frank Herbert wrote Dune.\n${prompt}`);
    expect(await render('bge-reranker-v2-gemma', 'Does B answer A?')).toBe('<bos>A: Who wrote Dune?\nB: Frank Herbert wrote Dune.\nDoes B answer A?');
    expect(CAUSAL_PRESETS['bge-reranker-v2-gemma']).toMatchObject({ trueToken: 'Yes', falseToken: null });
  });

  it('is chosen by hub id or folder name', () => {
    expect(presetFor('onnx-community/Qwen3-Reranker-0.6B-ONNX')).toBe('qwen3-reranker');
    expect(presetFor('mixedbread-ai/mxbai-rerank-large-v2')).toBe('mxbai-rerank-v2');
    expect(presetFor('BAAI/bge-reranker-v2-gemma')).toBe('bge-reranker-v2-gemma');
    expect(presetFor('mixedbread-ai/mxbai-rerank-large-v1')).toBeUndefined();
    expect(presetFor('BAAI/bge-reranker-v2-m3')).toBeUndefined();
  });
});
