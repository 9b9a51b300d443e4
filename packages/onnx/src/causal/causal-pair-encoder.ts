import type { Tokenizer } from '@huggingface/tokenizers';
import type { EncodedPair } from '../pair-encoder.js';
import { pairMessages, type ChatTemplate } from './chat-template.js';

/** Distinct instructions whose template suffix is remembered (sentence-transformers keeps 256 too). */
const SUFFIX_CACHE_SIZE = 256;
const NO_TOKEN_TYPES = new Uint8Array(0);

/**
 * Encodes (query, document) pairs for a causal-LM reranker exactly as sentence-transformers
 * (>= 5.4, `Transformer(text-generation)`) does: the pair becomes chat messages, the chat template
 * renders them to text, the text is tokenized whole (no special tokens added; special tokens written
 * in a document become special ids), cut on the right at `maxLength`, and, for a cut row, the
 * template's suffix is written back over its last tokens, because the score is read at the last
 * position and must follow the prompt's end (the assistant turn), not the middle of a document.
 */
export class CausalPairEncoder {
  readonly maxLength: number;
  private readonly tokenizer: Tokenizer;
  private readonly template: ChatTemplate;
  private readonly suffixes = new Map<string, readonly number[]>();

  constructor(tokenizer: Tokenizer, template: ChatTemplate, maxLength: number) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
  }

  /** The token ids of a rendered text, as transformers tokenizes a rendered chat (`add_special_tokens=False`). */
  tokenize(text: string): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  encode(query: string, document: string, instruction: string | undefined): EncodedPair {
    const ids = this.tokenize(this.template.render(pairMessages(query, document, instruction)));
    if (ids.length >= this.maxLength) {
      // sentence-transformers restores rows whose real length reached max_length (cut or exactly full).
      ids.length = this.maxLength;
      const suffix = this.suffix(instruction);
      const keep = Math.min(suffix.length, ids.length);
      for (let k = 0; k < keep; k++) ids[ids.length - keep + k] = suffix[suffix.length - keep + k]!;
    }
    return { inputIds: Int32Array.from(ids), tokenTypeIds: NO_TOKEN_TYPES };
  }

  /**
   * The template's fixed tail after the document, as token ids: the longest common token suffix of
   * two renders whose query and document are "0" and "1 2 3 4" (system content kept verbatim, so an
   * instruction rendered in the tail is included). Empty when the renders never differ.
   */
  suffix(instruction: string | undefined): readonly number[] {
    const key = instruction ?? '';
    let suffix = this.suffixes.get(key);
    if (suffix) return suffix;
    const first = this.tokenize(this.template.render(pairMessages('0', '0', instruction)));
    const second = this.tokenize(this.template.render(pairMessages('1 2 3 4', '1 2 3 4', instruction)));
    let count = 0;
    while (count < first.length && count < second.length && first[first.length - 1 - count] === second[second.length - 1 - count]) count++;
    suffix = count > 0 && count < Math.min(first.length, second.length) ? first.slice(first.length - count) : [];
    if (this.suffixes.size >= SUFFIX_CACHE_SIZE) this.suffixes.delete(this.suffixes.keys().next().value!);
    this.suffixes.set(key, suffix);
    return suffix;
  }
}
