import type { PairTemplate } from './pair-template.js';
import { longestFirstLengths } from './truncation.js';

/** Token ids of one text, without special tokens. */
export type TextTokens = readonly number[];

/** What the engine needs from a tokenizer: one text to ids, no special tokens added. */
export interface TextTokenizer {
  tokenize(text: string): TextTokens;
  /**
   * How many tokens Hugging Face tokenizers 0.23.1+ produce for this text when truncation stops it
   * at `limit` tokens: it tokenizes word by word (pre-tokenizer splits) and stops after the first
   * word that brings the count to `limit` or more. `tokens` is a result of `tokenize`. Optional:
   * without it, the full length is used (what tokenizers 0.22 and earlier compare).
   */
  lengthWithLimit?(tokens: TextTokens, limit: number): number;
  /**
   * A place to cut `text` at or after `from` such that the ids of `text.slice(0, cut)` are the
   * first ids of `text` (and the pre-tokenizer words before the cut are the same), or undefined
   * when there is none. Optional: without it, texts are always tokenized whole.
   */
  prefixCut?(text: string, from: number): number | undefined;
}

/**
 * Texts up to this many characters per token of `maxLength` are tokenized whole. Longer ones are
 * tokenized from a prefix of that size, doubled until it holds `maxLength` tokens: truncation never
 * keeps more, so a 10 MB document costs what a few KB do.
 */
const PREFIX_CHARS_PER_TOKEN = 8;

/** One encoded (query, document) pair, ready to be copied into a padded batch. */
export interface EncodedPair {
  inputIds: Int32Array;
  tokenTypeIds: Uint8Array;
}

export interface PairEncoderOptions {
  /**
   * Match tokenizers 0.23.1+ (default) rather than 0.22 and earlier. They differ only when both
   * texts reach `maxLength` tokens and the room left is odd: the extra token goes to the text that
   * is longer, and 0.23.1+ measures that after stopping each text near `maxLength` (see
   * `TextTokenizer.lengthWithLimit`) while 0.22 measures the whole texts.
   */
  earlyExit?: boolean;
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
  private readonly earlyExit: boolean;

  constructor(tokenizer: TextTokenizer, template: PairTemplate, maxLength: number, options: PairEncoderOptions = {}) {
    this.tokenizer = tokenizer;
    this.template = template;
    this.maxLength = maxLength;
    this.earlyExit = options.earlyExit ?? true;
  }

  /**
   * The ids of `text` as far as truncation at `maxLength` can use them: all of them for a text of
   * fewer than `maxLength` tokens, otherwise at least `maxLength` leading ids (and the whole word
   * that reaches `maxLength`, which `lengthWithLimit` needs). Only a prefix of a long text is read.
   */
  tokenize(text: string): TextTokens {
    const { tokenizer } = this;
    const prefixCut = tokenizer.prefixCut?.bind(tokenizer);
    const need = this.maxLength;
    let chars = need * PREFIX_CHARS_PER_TOKEN;
    if (!prefixCut || text.length <= 2 * chars) return tokenizer.tokenize(text);
    for (; chars * 2 < text.length; chars *= 2) {
      const cut = prefixCut(text, chars);
      if (cut === undefined || cut >= text.length) break;
      const ids = tokenizer.tokenize(text.slice(0, cut));
      if (ids.length >= need) {
        this.prefixSources.set(ids, text);
        return ids;
      }
    }
    return tokenizer.tokenize(text);
  }

  /** The whole text of ids `tokenize` took from a prefix (only 0.22-style truncation needs it). */
  private readonly prefixSources = new WeakMap<TextTokens, string>();

  private whole(tokens: TextTokens): TextTokens {
    const text = this.prefixSources.get(tokens);
    return text === undefined ? tokens : this.tokenizer.tokenize(text);
  }

  /** Encodes a pair from token ids already computed with `tokenize`. */
  encodeTokens(a: TextTokens, b: TextTokens): EncodedPair {
    const budget = this.maxLength - this.template.specialCount;
    // tokenizers 0.22 compares the whole lengths when both texts are cut in half with an odd
    // budget: only then does a prefix not tell enough, and the whole texts are read.
    if (!this.earlyExit && budget % 2 === 1 && a.length >= this.maxLength && b.length >= this.maxLength) {
      a = this.whole(a);
      b = this.whole(b);
    }
    let lengthA = a.length;
    let lengthB = b.length;
    // The stopped lengths only decide who gets the odd token when both texts are cut in half,
    // and computing them re-reads the texts, so it is done only then.
    if (this.earlyExit && budget % 2 === 1 && lengthA >= this.maxLength && lengthB >= this.maxLength && this.tokenizer.lengthWithLimit) {
      lengthA = this.tokenizer.lengthWithLimit(a, this.maxLength);
      lengthB = this.tokenizer.lengthWithLimit(b, this.maxLength);
    }
    const [keepA, keepB] = longestFirstLengths(lengthA, lengthB, budget);
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
