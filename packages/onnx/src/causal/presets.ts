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

export const CAUSAL_PRESETS = {
  'qwen3-reranker': QWEN3_RERANKER,
} as const satisfies Record<string, CausalPreset>;

export type CausalPresetName = keyof typeof CAUSAL_PRESETS;

/** The preset whose pattern matches a hub id or folder name, if any. */
export function presetFor(name: string): CausalPresetName | undefined {
  return (Object.keys(CAUSAL_PRESETS) as CausalPresetName[]).find((key) => CAUSAL_PRESETS[key].matches.test(name));
}
