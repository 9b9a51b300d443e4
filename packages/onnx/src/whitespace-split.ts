/**
 * Rust's `WhitespaceSplit` pre-tokenizer splits on `char::is_whitespace` (Unicode White_Space);
 * transformers.js splits on the JavaScript `\s` class. They differ on U+0085 (NEXT LINE: White_Space,
 * not `\s`) and U+FEFF (BYTE ORDER MARK: `\s`, not White_Space). SentencePiece tokenizers such as
 * T5's run it before Metaspace, so the difference moves a `▁` and changes ids.
 */
const RUST_WHITESPACE_RUNS = /[^\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

export function rustWhitespaceSplit(text: string): string[] {
  return text.match(RUST_WHITESPACE_RUNS) ?? [];
}

interface PreTokenizerLike {
  constructor: { name: string };
  tokenizers?: PreTokenizerLike[];
  pre_tokenize_text?: (text: string, options?: unknown) => string[];
}

/** Makes transformers.js `WhitespaceSplit` pre-tokenizers (top level or in a `Sequence`) split like Rust. */
export function installRustWhitespaceSplit(preTokenizer: unknown): number {
  const node = preTokenizer as PreTokenizerLike | null | undefined;
  if (!node || (typeof node !== 'object' && typeof node !== 'function')) return 0;
  if (node.constructor.name === 'WhitespaceSplit' && typeof node.pre_tokenize_text === 'function') {
    node.pre_tokenize_text = (text: string) => rustWhitespaceSplit(text);
    return 1;
  }
  return (node.tokenizers ?? []).reduce((count, inner) => count + installRustWhitespaceSplit(inner), 0);
}
