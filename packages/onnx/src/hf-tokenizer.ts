import { pairTemplateFromPostProcessor, type PairTemplate } from './pair-template.js';
import type { TextTokenizer, TextTokens } from './pair-encoder.js';
import { installExactPrecompiled } from './precompiled-charsmap.js';
import type { TokenizerLike } from './pretrained-tokenizer.js';
import { installRustWhitespaceSplit } from './whitespace-split.js';

/**
 * Adapts a `@huggingface/tokenizers` tokenizer (ours, or a transformers.js `PreTrainedTokenizer`,
 * which wraps the same pipeline) to the engine: it is used only to turn one text into ids
 * (normalizer, pre-tokenizer, WordPiece/BPE/Unigram), with the rewrites below where its
 * BertNormalizer differs from the Rust one. It also replaces, on the tokenizer it is given, the
 * `Precompiled` normalizer (transformers.js approximates it with NFKC) and `WhitespaceSplit`
 * (JavaScript's `\s` is not Rust's White_Space) with exact versions: pass it a tokenizer of its own. Joining and truncating the pair is ours, because
 * transformers.js cuts a joined pair's tail and can drop the final separator.
 */
export class HfTextTokenizer implements TextTokenizer {
  private readonly tokenizer: TokenizerLike;
  /** The `@huggingface/tokenizers` pipeline inside it (`_tokenizer`, in ours and in transformers.js 4). */
  private readonly parts: TokenizerParts;
  private readonly rewrite: ((text: string) => string) | undefined;
  /** The text each `tokenize` result came from, for the rare `lengthWithLimit` call. */
  private readonly sources = new WeakMap<TextTokens, string>();
  /** Last `lengthWithLimit` answer per token array: one query meets many long documents. */
  private readonly limited = new WeakMap<TextTokens, { limit: number; length: number }>();

  /** Whether `prefixCut` may cut this tokenizer's texts (see there). */
  private readonly cuttable: boolean;

  constructor(tokenizer: TokenizerLike) {
    this.tokenizer = tokenizer;
    this.parts = (tokenizer as unknown as { _tokenizer?: TokenizerParts })._tokenizer ?? (tokenizer as unknown as TokenizerParts);
    this.rewrite = bertNormalizerRewrite(this.parts);
    // A whitespace-only added token (ModernBERT has runs of spaces) starts at the cut at the
    // earliest, since the cut follows a non-space; one mixing both could straddle it.
    this.cuttable = !this.parts.do_lowercase_and_remove_accent && !(this.parts.added_tokens ?? []).some((token) => /\s/.test(token.content) && /\S/.test(token.content));
    // transformers.js approximates SentencePiece's charsmap with NFKC; run the real one instead.
    installExactPrecompiled(this.parts.normalizer);
    installRustWhitespaceSplit(this.parts.pre_tokenizer);
  }

  tokenize(text: string): TextTokens {
    const input = this.rewrite ? this.rewrite(text) : text;
    const ids = this.tokenizer.encode(input, { add_special_tokens: false });
    this.sources.set(ids, input);
    return ids;
  }

  /**
   * Cuts just before a space (U+0020) that follows a non-space character. For the pipelines we
   * load (BERT normalizer and pre-tokenizer, Metaspace, ByteLevel, with WordPiece, Unigram or BPE)
   * every word ends there, no normalizer rule joins a character with a following space, and each
   * word is tokenized on its own, so the prefix's ids are the text's first ids. pair-prefix.test.ts
   * checks this against the Rust tokenizer for each tokenizer family. An added token containing a
   * space and something else could be cut in two, so such a tokenizer is never cut.
   */
  prefixCut(text: string, from: number): number | undefined {
    if (!this.cuttable) return undefined;
    for (let at = text.indexOf(' ', Math.max(1, from)); at !== -1; at = text.indexOf(' ', at + 1)) {
      if (!/\s/.test(text[at - 1]!)) return at;
    }
    return undefined;
  }

  lengthWithLimit(tokens: TextTokens, limit: number): number {
    const text = this.sources.get(tokens);
    if (text === undefined || tokens.length < limit) return tokens.length;
    const known = this.limited.get(tokens);
    if (known?.limit === limit) return known.length;
    const replayed = replayLengthWithLimit(this.parts, text, limit);
    // Anything unexpected in transformers.js's pipeline falls back to the 0.22 behaviour.
    const length = replayed !== undefined && replayed >= limit && replayed <= tokens.length ? replayed : tokens.length;
    this.limited.set(tokens, { limit, length });
    return length;
  }

  pairTemplate(): PairTemplate {
    const postProcessor = this.parts.post_processor;
    return pairTemplateFromPostProcessor(postProcessor?.config as Parameters<typeof pairTemplateFromPostProcessor>[0]);
  }

  /** The tokenizer's own limit (`model_max_length`), when it states a sane one. */
  modelMaxLength(): number | undefined {
    const value = (this.tokenizer as unknown as { model_max_length?: number }).model_max_length;
    return typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 1e6 ? value : undefined;
  }
}

interface BertNormalizerConfig {
  type?: string;
  handle_chinese_chars?: boolean;
  lowercase?: boolean;
}

// Astral code points in the Rust `is_chinese_char` ranges (tokenizers/src/normalizers/bert.rs).
// Rust starts the Extension E range at U+2B920, not U+2B820: kept as is, since Rust is the reference.
const ASTRAL_CJK = /[\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B920}-\u{2CEAF}\u{2F800}-\u{2FA1F}]/gu;
// High surrogates of U+20000..U+2FFFF, and capital sigma: a cheap test that skips the rewrite.
const MAY_NEED_REWRITE = /[\uD840-\uD87F\u03A3]/;

/**
 * Text rewrites that make transformers.js's BertNormalizer give the ids the Rust one gives (checked
 * code point by code point against the `tokenizers` package). transformers.js differs in two ways:
 * - it pads CJK ideographs with spaces while walking UTF-16 code units, so ideographs outside the
 *   BMP (Extension B and later, compatibility supplement) are glued to their neighbours;
 * - its `toLowerCase()` applies the final-sigma rule (`ΟΔΟΣ` → `οδος`), while Rust lowercases one
 *   char at a time (`οδοσ`).
 * Both rewrites happen before transformers.js splits out added tokens, so they are skipped when an
 * added token contains the characters they touch (no BERT vocabulary does).
 */
function bertNormalizerRewrite(parts: TokenizerParts): ((text: string) => string) | undefined {
  const config = (parts.normalizer as { config?: BertNormalizerConfig } | null | undefined)?.config;
  if (config?.type !== 'BertNormalizer') return undefined;
  const added = (parts.added_tokens ?? []).map((token) => token.content);
  const padCjk = config.handle_chinese_chars === true && !added.some((content) => /[\uD840-\uD87F]/.test(content));
  const sigma = config.lowercase === true && !added.some((content) => content.includes('\u03A3'));
  if (!padCjk && !sigma) return undefined;
  return (text) => {
    if (!MAY_NEED_REWRITE.test(text)) return text;
    let out = text;
    if (padCjk) out = out.replace(ASTRAL_CJK, ' $& ');
    if (sigma) out = out.replaceAll('\u03A3', '\u03C3');
    return out;
  };
}

/**
 * The `@huggingface/tokenizers` 0.2 pipeline pieces its `encode_text` runs, in the order it runs
 * them (transformers.js 4 delegates to it; 3.8 had the same pieces on the tokenizer itself).
 */
interface TokenizerParts {
  added_tokens?: ReadonlyArray<{ content: string }>;
  post_processor?: { config?: unknown } | null;
  splitter_unnormalized?: { split(text: string): string[] };
  splitter_normalized?: { split(text: string): string[] };
  added_tokens_map?: Map<string, { lstrip?: boolean; rstrip?: boolean }>;
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
  normalizer?: ((text: string) => string) | null;
  pre_tokenizer?: ((text: string, options: { section_index: number }) => string[]) | null;
  model?: (words: string[]) => string[];
}

/** Splits out added tokens, applying their lstrip/rstrip to the neighbouring sections. */
function splitAdded(splitter: { split(text: string): string[] }, added: Map<string, { lstrip?: boolean; rstrip?: boolean }>, text: string): string[] {
  const sections = splitter.split(text);
  for (let i = 0; i < sections.length; i++) {
    const token = added.get(sections[i]!);
    if (!token) continue;
    if (token.lstrip && i > 0) sections[i - 1] = sections[i - 1]!.trimEnd();
    if (token.rstrip && i < sections.length - 1) sections[i + 1] = sections[i + 1]!.trimStart();
  }
  return sections;
}

/**
 * Replays `encode_text` one pre-tokenizer split (word) at a time, counting tokens the way
 * tokenizers 0.23.1+ stops (huggingface/tokenizers#1990): after a word that brings the count to
 * `limit` or more. Added tokens (literal `[SEP]` in the text) are split out before that loop, so
 * they count but never stop it. Returns undefined where it cannot replay.
 */
function replayLengthWithLimit(parts: TokenizerParts, text: string, limit: number): number | undefined {
  const { splitter_unnormalized: raw, splitter_normalized: normalized, added_tokens_map: added, model } = parts;
  if (parts.do_lowercase_and_remove_accent || !raw || !normalized || !added || !model) return undefined;
  let count = 0;
  const sections = splitAdded(raw, added, text);
  for (let index = 0; index < sections.length; index++) {
    let section = sections[index]!;
    if (section.length === 0) continue;
    if (added.has(section)) {
      count += 1;
      continue;
    }
    if (parts.remove_space === true) section = section.trim().split(/\s+/).join(' ');
    if (parts.normalizer) section = parts.normalizer(section);
    if (section.length === 0) continue;
    for (const sub of splitAdded(normalized, added, section)) {
      if (sub.length === 0) continue;
      if (added.has(sub)) {
        count += 1;
        continue;
      }
      const words = parts.pre_tokenizer ? parts.pre_tokenizer(sub, { section_index: index }) : [sub];
      for (const word of words) {
        count += model([word]).length;
        if (count >= limit) return count;
      }
    }
  }
  return count;
}
