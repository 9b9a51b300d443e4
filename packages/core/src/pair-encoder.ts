import type { PairTemplate } from './pair-template.js';
import { longestFirstLengths } from './truncation.js';

/** Token ids of one text, without special tokens. */
export type TextTokens = readonly number[];

/** What the engine needs from a tokenizer: one text to ids, no special tokens added. */
export interface TextTokenizer {
  tokenize(text: string): TextTokens;
}

/** One encoded (query, document) pair, ready to be copied into a padded batch. */
export interface EncodedPair {
  inputIds: Int32Array;
  tokenTypeIds: Uint8Array;
}

/**
 * Builds `[CLS] query [SEP] document [SEP]` (or the tokenizer's own template) from texts tokenized
 * once each, truncating `longest_first` at `maxLength` like Hugging Face tokenizers: the closing
 * special tokens are always kept and the longer text is trimmed first.
 */
export class PairEncoder {
  readonly maxLength: number;
  readonly template: PairTemplate;
  private readonly tokenizer: TextTokenizer;

  constructor(tokenizer: TextTokenizer, template: PairTemplate, maxLength: number) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
  }

  tokenize(text: string): TextTokens {
    return this.tokenizer.tokenize(text);
  }

  /** Encodes a pair from token ids already computed with `tokenize`. */
  encodeTokens(a: TextTokens, b: TextTokens): EncodedPair {
    const [keepA, keepB] = longestFirstLengths(a.length, b.length, this.maxLength - this.template.specialCount);
    const length = keepA + keepB + this.template.specialCount;
    const inputIds = new Int32Array(length);
    const tokenTypeIds = new Uint8Array(length);
    let at = 0;
    for (const piece of this.template.pieces) {
      if (piece.kind === 'special') {
        inputIds[at] = piece.id;
        tokenTypeIds[at++] = piece.typeId;
        continue;
      }
      const [ids, keep] = piece.which === 'A' ? [a, keepA] : [b, keepB];
      for (let i = 0; i < keep; i++) {
        inputIds[at] = ids[i]!;
        tokenTypeIds[at++] = piece.typeId;
      }
    }
    return { inputIds, tokenTypeIds };
  }

  encode(a: string, b: string): EncodedPair {
    return this.encodeTokens(this.tokenize(a), this.tokenize(b));
  }
}
