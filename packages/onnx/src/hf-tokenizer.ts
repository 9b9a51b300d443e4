import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { pairTemplateFromPostProcessor, type PairTemplate } from './pair-template.js';
import type { TextTokenizer, TextTokens } from './pair-encoder.js';

/**
 * Adapts a transformers.js tokenizer to the engine: it is used only to turn one text into ids
 * (normalizer, pre-tokenizer, WordPiece/BPE/Unigram), with the rewrites below where its
 * BertNormalizer differs from the Rust one. Joining and truncating the pair is ours, because
 * transformers.js cuts a joined pair's tail and can drop the final separator.
 */
export class HfTextTokenizer implements TextTokenizer {
  private readonly tokenizer: PreTrainedTokenizer;
  private readonly rewrite: ((text: string) => string) | undefined;
  /** The text each `tokenize` result came from, for the rare `lengthWithLimit` call. */
  private readonly sources = new WeakMap<TextTokens, string>();
  /** Last `lengthWithLimit` answer per token array: one query meets many long documents. */
  private readonly limited = new WeakMap<TextTokens, { limit: number; length: number }>();

  constructor(tokenizer: PreTrainedTokenizer) {
    this.tokenizer = tokenizer;
    this.rewrite = bertNormalizerRewrite(tokenizer);
  }

  tokenize(text: string): TextTokens {
    const input = this.rewrite ? this.rewrite(text) : text;
    const ids = this.tokenizer.encode(input, { add_special_tokens: false });
    this.sources.set(ids, input);
    return ids;
  }

  lengthWithLimit(tokens: TextTokens, limit: number): number {
    const text = this.sources.get(tokens);
    if (text === undefined || tokens.length < limit) return tokens.length;
    const known = this.limited.get(tokens);
    if (known?.limit === limit) return known.length;
    const replayed = replayLengthWithLimit(this.tokenizer as unknown as PipelineParts, text, limit);
    // Anything unexpected in transformers.js's pipeline falls back to the 0.22 behaviour.
    const length = replayed !== undefined && replayed >= limit && replayed <= tokens.length ? replayed : tokens.length;
    this.limited.set(tokens, { limit, length });
    return length;
  }

  pairTemplate(): PairTemplate {
    const postProcessor = (this.tokenizer as unknown as { post_processor?: { config?: unknown } }).post_processor;
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
function bertNormalizerRewrite(tokenizer: PreTrainedTokenizer): ((text: string) => string) | undefined {
  const config = (tokenizer.normalizer as { config?: BertNormalizerConfig } | null | undefined)?.config;
  if (config?.type !== 'BertNormalizer') return undefined;
  const added = (tokenizer.added_tokens ?? []).map((token) => token.content);
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

/** The transformers.js 3.8 pipeline pieces `_encode_text` runs, in the order it runs them. */
interface PipelineParts {
  added_tokens_splitter: { split(text: string): string[] };
  added_tokens_map: Map<string, { lstrip?: boolean; rstrip?: boolean }>;
  remove_space?: boolean;
  do_lowercase_and_remove_accent?: boolean;
  normalizer: ((text: string) => string) | null;
  pre_tokenizer: ((text: string, options: { section_index: number }) => string[]) | null;
  model: (words: string[]) => string[];
}

/**
 * Replays transformers.js's `_encode_text` one pre-tokenizer split (word) at a time, counting
 * tokens the way tokenizers 0.23.1+ stops (huggingface/tokenizers#1990): after a word that brings
 * the count to `limit` or more. Added tokens (literal `[SEP]` in the text) are already split out
 * before that loop, so they count but never stop it. Returns undefined where it cannot replay.
 */
function replayLengthWithLimit(parts: PipelineParts, text: string, limit: number): number | undefined {
  if (parts.do_lowercase_and_remove_accent) return undefined;
  const sections = parts.added_tokens_splitter.split(text);
  for (let i = 0; i < sections.length; i++) {
    const added = parts.added_tokens_map.get(sections[i]!);
    if (!added) continue;
    if (added.lstrip && i > 0) sections[i - 1] = sections[i - 1]!.trimEnd();
    if (added.rstrip && i < sections.length - 1) sections[i + 1] = sections[i + 1]!.trimStart();
  }
  let count = 0;
  for (let index = 0; index < sections.length; index++) {
    let section = sections[index]!;
    if (section.length === 0) continue;
    if (parts.added_tokens_map.has(section)) {
      count += 1;
      continue;
    }
    if (parts.remove_space === true) section = section.trim().split(/\s+/).join(' ');
    if (parts.normalizer) section = parts.normalizer(section);
    if (section.length === 0) continue;
    const words = parts.pre_tokenizer ? parts.pre_tokenizer(section, { section_index: index }) : [section];
    for (const word of words) {
      count += parts.model([word]).length;
      if (count >= limit) return count;
    }
  }
  return count;
}
