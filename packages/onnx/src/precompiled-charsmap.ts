/**
 * SentencePiece's `Precompiled` normalizer (T5, XLM-RoBERTa, mT5, ...) exactly as Hugging Face's Rust
 * tokenizers runs it (tokenizers/src/normalizers/precompiled.rs over the spm_precompiled crate):
 * the `precompiled_charsmap` is a darts double-array trie over UTF-8 bytes plus a blob of
 * NUL-terminated replacement strings. transformers.js replaces it with NFKC and a few regexes, which
 * differ on combining marks, controls and other characters the charsmap rewrites otherwise.
 */
export class PrecompiledCharsmap {
  private readonly trie: Uint32Array;
  private readonly normalized: Uint8Array;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();
  private readonly segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  /** One query meets thousands of identical graphemes: cache each grapheme's replacement. */
  private readonly cache = new Map<string, string>();

  constructor(base64: string) {
    const bytes = Buffer.from(base64, 'base64');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > bytes.length) throw new Error(`precompiled_charsmap is malformed (trie of ${trieSize} bytes in ${bytes.length}).`);
    this.trie = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.trie.length; i++) this.trie[i] = view.getUint32(4 + 4 * i, true);
    this.normalized = bytes.subarray(4 + trieSize);
  }

  /** Rust's `normalize`: per extended grapheme cluster, whole if under 6 UTF-8 bytes, else per char. */
  normalize(text: string): string {
    let out = '';
    // Rust receives JavaScript strings with lone surrogates already replaced by U+FFFD (napi's conversion).
    for (const { segment } of this.segmenter.segment(text.replace(LONE_SURROGATE, '\uFFFD'))) {
      let replaced = this.cache.get(segment);
      if (replaced === undefined) {
        replaced = this.normalizeGrapheme(segment);
        if (this.cache.size < 65536) this.cache.set(segment, replaced);
      }
      out += replaced;
    }
    return out;
  }

  private normalizeGrapheme(grapheme: string): string {
    const bytes = this.encoder.encode(grapheme);
    if (bytes.length < 6) {
      const whole = this.transform(bytes);
      if (whole !== undefined) return whole;
    }
    let out = '';
    for (const char of grapheme) {
      out += this.transform(this.encoder.encode(char)) ?? char;
    }
    return out;
  }

  /**
   * The replacement for the shortest prefix of `key` found in the trie (as Rust takes the first
   * common-prefix result), or undefined.
   */
  private transform(key: Uint8Array): string | undefined {
    const value = this.firstPrefixValue(key);
    if (value === undefined) return undefined;
    let end = value;
    while (end < this.normalized.length && this.normalized[end] !== 0) end++;
    return this.decoder.decode(this.normalized.subarray(value, end));
  }

  private firstPrefixValue(key: Uint8Array): number | undefined {
    const array = this.trie;
    let node = 0;
    let unit = array[node]!;
    node ^= offset(unit);
    for (const byte of key) {
      if (byte === 0) break;
      node ^= byte;
      unit = array[node]!;
      if (label(unit) !== byte) return undefined;
      node ^= offset(unit);
      if (hasLeaf(unit)) return array[node]! & 0x7fffffff;
    }
    return undefined;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const hasLeaf = (unit: number): boolean => ((unit >>> 8) & 1) === 1;
// The high bit marks a leaf's value unit, so it is kept in the label to make the comparison fail there.
const label = (unit: number): number => (unit & (0x80000000 | 0xff)) >>> 0;
const offset = (unit: number): number => (unit >>> 10) << ((unit & (1 << 9)) >>> 6);

interface NormalizerLike {
  config?: { type?: string; precompiled_charsmap?: unknown };
  normalizers?: NormalizerLike[];
  normalize?: (text: string) => string;
}

/**
 * Makes a transformers.js tokenizer's `Precompiled` normalizers (top level or inside a `Sequence`)
 * run the real charsmap. Returns how many it replaced.
 */
export function installExactPrecompiled(normalizer: unknown): number {
  const node = normalizer as NormalizerLike | null | undefined;
  if (!node || (typeof node !== 'object' && typeof node !== 'function')) return 0;
  if (node.config?.type === 'Precompiled' && typeof node.config.precompiled_charsmap === 'string' && node.config.precompiled_charsmap !== '') {
    const charsmap = new PrecompiledCharsmap(node.config.precompiled_charsmap);
    node.normalize = (text: string) => charsmap.normalize(text);
    return 1;
  }
  return (node.normalizers ?? []).reduce((count, inner) => count + installExactPrecompiled(inner), 0);
}
