import { InvalidInputError } from './errors.js';

/** What `rerank` does with a document longer than the model's window. */
export type LongDocumentMode = 'truncate' | 'split';

/** Character offsets into a document: `document.slice(start, end)` is the span. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface LongDocumentOptions {
  /**
   * 'truncate' (default): score the pair cut at `maxLength` tokens, as sentence-transformers does.
   * 'split': score overlapping windows of the document (the query repeated in each) and keep the
   * best; the result's `span` says which window won.
   */
  longDocuments?: LongDocumentMode;
  /** 'split' only: document tokens per window. Default: what fits beside the query in `maxLength`. */
  window?: number;
  /** 'split' only: tokens between window starts. Default: half the window (windows overlap by half). */
  stride?: number;
}

/** Rejects bad long-document options before any work. */
export function checkLongDocumentOptions(options: LongDocumentOptions): void {
  const mode = options.longDocuments;
  if (mode !== undefined && mode !== 'truncate' && mode !== 'split') {
    throw new InvalidInputError(`options.longDocuments must be 'truncate' or 'split', got ${JSON.stringify(mode) ?? String(mode)}.`);
  }
  for (const key of ['window', 'stride'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidInputError(`options.${key} must be a positive integer (tokens), got ${JSON.stringify(value) ?? String(value)}.`);
    }
    if (value !== undefined && mode !== 'split') {
      throw new InvalidInputError(`options.${key} applies only with longDocuments: 'split'.`);
    }
  }
  if (options.window !== undefined && options.stride !== undefined && options.stride > options.window) {
    throw new InvalidInputError(`options.stride (${options.stride}) must not exceed options.window (${options.window}), or text between windows would never be scored.`);
  }
}

/**
 * Splits `document` into windows of whole words (whitespace-separated runs) holding at most
 * `window` tokens each (a single longer word is a window of its own, truncated when scored),
 * starting every `stride` tokens; the last window reaches the document's end. Token counts come
 * from `countTokens` per word, which is close to, not exactly, the count of the joined text: the
 * window text is tokenized whole when scored, and any excess is truncated like any pair.
 * A document that fits in one window gives one span covering it all.
 */
export function planWindows(document: string, countTokens: (word: string) => number, window: number, stride: number): TextSpan[] {
  const words: Array<{ start: number; end: number; tokens: number }> = [];
  for (const match of document.matchAll(/\S+/g)) {
    words.push({ start: match.index!, end: match.index! + match[0].length, tokens: countTokens(match[0]) });
  }
  if (words.length === 0) return [{ start: 0, end: document.length }];
  const total = words.reduce((sum, w) => sum + w.tokens, 0);
  if (total <= window) return [{ start: 0, end: document.length }];

  const spans: TextSpan[] = [];
  let first = 0;
  for (;;) {
    let last = first;
    let tokens = words[first]!.tokens;
    while (last + 1 < words.length && tokens + words[last + 1]!.tokens <= window) tokens += words[++last]!.tokens;
    spans.push({ start: words[first]!.start, end: words[last]!.end });
    if (last === words.length - 1) break;
    // Next start: `stride` tokens on, at least one word on, and never past the word after this window.
    let next = first;
    let skipped = 0;
    while (next <= last && skipped + words[next]!.tokens <= stride) skipped += words[next++]!.tokens;
    first = Math.max(next, first + 1);
  }
  // Text before the first word and after the last belongs to the outer windows.
  spans[0]!.start = 0;
  spans[spans.length - 1]!.end = document.length;
  return spans;
}
