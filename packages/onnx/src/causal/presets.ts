/**
 * Prompts of causal-LM rerankers published without sentence-transformers files (e.g. the ONNX
 * conversions of Qwen3-Reranker on the hub), written as chat templates over sentence-transformers'
 * messages (`system` = the instruction, `query`, `document`) so they run through the same path.
 */
export interface CausalPreset {
  /** Jinja source; rendered like a model's own chat template. */
  template: string;
  /** The vocabulary tokens whose logits are compared: score = logit[trueToken] - logit[falseToken]. */
  trueToken: string;
  falseToken: string | null;
  /** Hub ids or folder names this preset is chosen for when the model has no `modules.json`. */
  matches: RegExp;
  /** Where the prompt was published. */
  source: string;
}

/**
 * Qwen3-Reranker (0.6B, 4B, 8B), as its model card's transformers example builds the input:
 * `prefix + "<Instruct>: {instruction}\n<Query>: {query}\n<Document>: {doc}" + suffix`, with the
 * default instruction "Given a web search query, retrieve relevant passages that answer the
 * query", and the score read from the "yes" and "no" logits at the last position.
 * Source: https://huggingface.co/Qwen/Qwen3-Reranker-0.6B (README, "Transformers Usage").
 * The final "\n\n" is an expression because Jinja drops a template's last newline.
 */
const QWEN3_RERANKER: CausalPreset = {
  template:
    "{%- set ns = namespace(instruction='Given a web search query, retrieve relevant passages that answer the query', query='', document='') -%}" +
    "{%- for message in messages -%}" +
    "{%- if message.role == 'system' -%}{%- set ns.instruction = message.content -%}" +
    "{%- elif message.role == 'query' -%}{%- set ns.query = message.content -%}" +
    "{%- elif message.role == 'document' -%}{%- set ns.document = message.content -%}" +
    '{%- endif -%}{%- endfor -%}' +
    '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. ' +
    'Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n' +
    '<Instruct>: {{ ns.instruction }}\n<Query>: {{ ns.query }}\n<Document>: {{ ns.document }}<|im_end|>\n' +
    '<|im_start|>assistant\n<think>\n\n</think>{{ "\\n\\n" }}',
  trueToken: 'yes',
  falseToken: 'no',
  matches: /qwen3-reranker/i,
  source: 'https://huggingface.co/Qwen/Qwen3-Reranker-0.6B',
};

/**
 * mxbai-rerank-base-v2 / -large-v2 (Qwen2), as `MxbaiRerankV2.prepare_inputs` builds the input:
 * the Qwen chat prefix, optionally `"instruction: {instruction}\n"`, then `"query: {query}"`, `"\n"`,
 * `"document: {document}"`, `"\n"`, the task prompt, and the chat suffix; the score is
 * logit["1"] - logit["0"] at the last position. Its own code tokenizes the parts separately and
 * truncates query and document by their own budgets; here the text is tokenized whole and cut as
 * sentence-transformers cuts (the suffix restored), so very long pairs can differ.
 * Source: https://github.com/mixedbread-ai/mxbai-rerank, mxbai_rerank/mxbai_rerank_v2.py.
 */
const MXBAI_RERANK_V2: CausalPreset = {
  template:
    "{%- set ns = namespace(instruction='', query='', document='') -%}" +
    "{%- for message in messages -%}" +
    "{%- if message.role == 'system' -%}{%- set ns.instruction = message.content -%}" +
    "{%- elif message.role == 'query' -%}{%- set ns.query = message.content -%}" +
    "{%- elif message.role == 'document' -%}{%- set ns.document = message.content -%}" +
    '{%- endif -%}{%- endfor -%}' +
    '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n' +
    "{% if ns.instruction %}instruction: {{ ns.instruction }}{{ '\\n' }}{% endif -%}" +
    "query: {{ ns.query }}{{ '\\n' }}document: {{ ns.document }}{{ '\\n' }}" +
    'You are a search relevance expert who evaluates how well documents match search queries. For each query-document pair, ' +
    'carefully analyze the semantic relationship between them, then provide your binary relevance judgment (0 for not relevant, 1 for relevant).' +
    "{{ '\\n' }}Relevance:<|im_end|>{{ '\\n' }}<|im_start|>assistant{{ '\\n' }}",
  trueToken: '1',
  falseToken: '0',
  matches: /mxbai-rerank-(base|large)-v2/i,
  source: 'https://github.com/mixedbread-ai/mxbai-rerank (mxbai_rerank/mxbai_rerank_v2.py)',
};

/**
 * bge-reranker-v2-gemma, as FlagEmbedding's `BaseLLMReranker` builds the input: `<bos>`, `"A: {query}"`,
 * `"\n"`, `"B: {passage}"`, `"\n"`, then the prompt (the instruction replaces FlagEmbedding's default
 * prompt, as its `prompt` argument does); the score is logit["Yes"] alone at the last position.
 * FlagEmbedding truncates query and passage separately; here the text is cut as sentence-transformers cuts.
 * Source: https://github.com/FlagOpen/FlagEmbedding, FlagEmbedding/inference/reranker/decoder_only/base.py.
 */
const BGE_RERANKER_V2_GEMMA: CausalPreset = {
  template:
    '{%- set ns = namespace(instruction="Given a query A and a passage B, determine whether the passage contains an answer to the query by providing a prediction of either \'Yes\' or \'No\'.", query=\'\', document=\'\') -%}' +
    "{%- for message in messages -%}" +
    "{%- if message.role == 'system' -%}{%- set ns.instruction = message.content -%}" +
    "{%- elif message.role == 'query' -%}{%- set ns.query = message.content -%}" +
    "{%- elif message.role == 'document' -%}{%- set ns.document = message.content -%}" +
    '{%- endif -%}{%- endfor -%}' +
    "{{ bos_token }}A: {{ ns.query }}{{ '\\n' }}B: {{ ns.document }}{{ '\\n' }}{{ ns.instruction }}",
  trueToken: 'Yes',
  falseToken: null,
  matches: /bge-reranker-v2-gemma/i,
  source: 'https://github.com/FlagOpen/FlagEmbedding (FlagEmbedding/inference/reranker/decoder_only/base.py)',
};

export const CAUSAL_PRESETS = {
  'qwen3-reranker': QWEN3_RERANKER,
  'mxbai-rerank-v2': MXBAI_RERANK_V2,
  'bge-reranker-v2-gemma': BGE_RERANKER_V2_GEMMA,
} as const satisfies Record<string, CausalPreset>;

export type CausalPresetName = keyof typeof CAUSAL_PRESETS;

/** The preset whose pattern matches a hub id or folder name, if any. */
export function presetFor(name: string): CausalPresetName | undefined {
  return (Object.keys(CAUSAL_PRESETS) as CausalPresetName[]).find((key) => CAUSAL_PRESETS[key].matches.test(name));
}
